using Azure;
using Azure.Data.Tables;

namespace Integration.Imports;

/// <summary>One row of the import ledger: a blob version's import, or one of its parts.</summary>
public sealed class LedgerEntry : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string BlobName { get; set; } = "";
    public string BlobETag { get; set; } = "";
    public string Status { get; set; } = "";
    public int Attempts { get; set; }
    public int? PartnerStatus { get; set; }
    public string? PartnerRequestId { get; set; }
    public string? ReportBlob { get; set; }

    /// <summary>For parts: the part's row errors (JSON), so a resumed import can still report them.</summary>
    public string? Detail { get; set; }
}
