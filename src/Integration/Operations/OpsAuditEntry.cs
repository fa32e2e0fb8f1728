using Azure;
using Azure.Data.Tables;

namespace Integration.Operations;

/// <summary>One operator action. PartitionKey is the UTC day (<c>yyyyMMdd</c>); RowKey orders by time.</summary>
public sealed class OpsAuditEntry : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Who asked: the CLI's user, or the HTTP caller as the ops function knows it.</summary>
    public string Actor { get; set; } = "";

    /// <summary>e.g. <c>deadletters.redrive</c>, <c>resync</c>, <c>imports.reimport</c>.</summary>
    public string Operation { get; set; } = "";

    public bool DryRun { get; set; }

    /// <summary>The filters as given, JSON.</summary>
    public string Filters { get; set; } = "{}";

    /// <summary>What happened, JSON (e.g. matched / moved / skipped by the loop guard / failed).</summary>
    public string Counts { get; set; } = "{}";

    /// <summary><c>completed</c>, <c>cancelled</c> or <c>failed: …</c>.</summary>
    public string Outcome { get; set; } = "";
}
