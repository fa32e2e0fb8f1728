using Azure;
using Azure.Data.Tables;

namespace Integration.Tasks;

/// <summary>One Fragment attempt. PartitionKey is the UTC hour (<c>yyyyMMddHH</c>) so rows are queried by time.</summary>
public sealed class RequestLogEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }
    public string Endpoint { get; set; } = "";
    public string TaskUid { get; set; } = "";
    public string MessageId { get; set; } = "";
    public int? Status { get; set; }
    public string? PartnerRequestId { get; set; }
    public string? Error { get; set; }
    public int Attempt { get; set; }

    /// <summary><c>normal</c>, <c>retry</c>, <c>redrive</c> or <c>resync</c>.</summary>
    public string Trigger { get; set; } = "normal";

    /// <summary>The task's source version, as text with its kind (<c>version 7</c>, <c>updated_at …</c>).</summary>
    public string? Version { get; set; }

    /// <summary>
    /// On accepted attempts (2xx): the upstream message as received, so a re-sync can send it again. Left out (and
    /// <see cref="MessageBodyOmitted"/> set) above <see cref="MaxMessageBodyChars"/>: a Table property holds 64 KiB.
    /// </summary>
    public string? MessageBody { get; set; }

    public bool MessageBodyOmitted { get; set; }

    public const int MaxMessageBodyChars = 30_000;
}
