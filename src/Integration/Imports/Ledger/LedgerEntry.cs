using Azure;
using Azure.Data.Tables;

namespace Integration.Imports;

/// <summary>One row of the import ledger: a blob version's import (<see cref="ImportLedger.ImportRow"/>), or one of its uploads.</summary>
public sealed class LedgerEntry : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string BlobName { get; set; } = "";
    public string BlobETag { get; set; } = "";

    /// <summary><see cref="ImportStatus"/> on the import row, <see cref="PartStatus"/> on an upload's row.</summary>
    public string Status { get; set; } = "";

    /// <summary>Import row: how many runs claimed it.</summary>
    public int Attempts { get; set; }

    public int? PartnerStatus { get; set; }
    public string? PartnerRequestId { get; set; }
    public string? ReportBlob { get; set; }

    /// <summary>Import row: the run holding the claim, and until when (another run may take it over after that).</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimExpiresAt { get; set; }

    /// <summary>Import row: the file is sent in parts of at most this many bytes (set after a 413 or from a learned limit).</summary>
    public long? PartLimit { get; set; }

    /// <summary>Upload row: its number in the report, and its bytes of the source after the header (<see cref="Start"/>, <see cref="Bytes"/> with the header).</summary>
    public int? Part { get; set; }

    public long? Start { get; set; }

    public long? Length { get; set; }

    /// <summary>Upload row: when the last attempt finished sending the body (status <c>awaiting_answer</c> until answered).</summary>
    public DateTimeOffset? BodySentAt { get; set; }

    /// <summary>Upload row: the first data row of the dropped file it carries, how many rows and how many bytes (for an operator checking Dragonfruit).</summary>
    public long? FirstRow { get; set; }

    public long? RowCount { get; set; }

    public long? Bytes { get; set; }

    /// <summary>Upload row, once sent: how many row errors Dragonfruit gave, and the results blob keeping them (any size).</summary>
    public int? RowErrorCount { get; set; }

    public string? RowErrorsBlob { get; set; }

    /// <summary>Upload row: an operator's note (a lost answer resolved).</summary>
    public string? Note { get; set; }
}
