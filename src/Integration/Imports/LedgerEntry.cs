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

    /// <summary>For parts: when the last attempt finished sending the body (status <c>awaiting_answer</c> until answered).</summary>
    public DateTimeOffset? BodySentAt { get; set; }

    /// <summary>For parts: the first data row of the dropped file it carries, how many rows and how many bytes (for an operator checking Dragonfruit).</summary>
    public long? FirstRow { get; set; }

    public long? RowCount { get; set; }

    public long? Bytes { get; set; }

    /// <summary>For parts: the part's row errors (JSON), so a resumed import can still report them.</summary>
    public string? Detail { get; set; }
}
