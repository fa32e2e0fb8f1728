using Azure;
using Azure.Data.Tables;

namespace Integration.Tasks.RateLimiting;

/// <summary>The one row every instance shares: a token bucket and the pause a 429 imposes on all of them.</summary>
internal sealed class RateLimitBucket : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>Tokens left at <see cref="UpdatedAt"/>, before refill; fractional.</summary>
    public double Tokens { get; set; }

    /// <summary>When <see cref="Tokens"/> was last refilled; refill since then is computed on read.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>No instance sends before this (set after a 429; only ever moves forward).</summary>
    public DateTimeOffset? PausedUntil { get; set; }
}
