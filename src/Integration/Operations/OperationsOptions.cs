using System.ComponentModel.DataAnnotations;

namespace Integration.Operations;

/// <summary>Operator tools: inspection, dead-letter redrive, re-sync, re-import (section <c>Operations</c>).</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>Azure Table holding one audit row per operation (who, what, when, filters, counts).</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string AuditTable { get; set; } = "OpsAudit";

    /// <summary>Blob container the discarded dead-letters are archived in (body, properties, reason, who and when), restorable from there.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string ArchiveContainer { get; set; } = "deadletter-archive";

    /// <summary>Default velocity of a redrive or re-sync, in messages a second: well under Fragment's 60 a minute.</summary>
    [Range(0.001, 1000)]
    public double MessagesPerSecond { get; set; } = 0.5;

    /// <summary>Most messages one redrive or re-sync moves unless the operator asks for fewer.</summary>
    [Range(1, 1_000_000)]
    public int MaxMessages { get; set; } = 1000;

    /// <summary>Request-log and audit rows older than this many days are deleted by the <c>PruneOperationsTables</c> timer.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Loop guard: a message already redriven this many times stays dead-lettered and is reported instead.</summary>
    [Range(1, 100)]
    public int MaxRedrives { get; set; } = 3;
}
