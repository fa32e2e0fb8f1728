using System.ComponentModel.DataAnnotations;

namespace Integration.Tasks.RateLimiting;

/// <summary>
/// Fragment's request budget (60 requests a minute, 429 over it), shared by every instance through one Azure Table row
/// (section <c>Fragment:RateLimit</c>).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Fragment:RateLimit";

    /// <summary>Steady rate the bucket refills at.</summary>
    [Range(1, int.MaxValue)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>How many requests may go back to back after a quiet spell; Fragment tolerates small bursts but asks to avoid them.</summary>
    [Range(1, int.MaxValue)]
    public int Burst { get; set; } = 1;

    /// <summary>Azure Table holding the shared bucket row.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string Table { get; set; } = "FragmentRateLimit";

    /// <summary>Longest a caller waits for a slot; beyond it <see cref="DistributedRateLimiter.WaitAsync"/> answers false.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);
}
