using Azure;
using Azure.Data.Tables;

namespace Integration.Tasks;

/// <summary>The last source version applied to a Fragment task, and who is applying one right now.</summary>
public sealed class TaskVersionEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public long? AppliedVersionNumber { get; set; }
    public DateTimeOffset? AppliedUpdatedAt { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>
    /// The newest version any handler has claimed (sent, or about to send). A handler that dies after Fragment applied
    /// it and before <see cref="AppliedVersionNumber"/> is written leaves only this behind; anything older is obsolete.
    /// </summary>
    public long? ClaimedVersionNumber { get; set; }

    public DateTimeOffset? ClaimedUpdatedAt { get; set; }
}
