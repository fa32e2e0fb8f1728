using System.ComponentModel.DataAnnotations;

namespace Integration.Tasks.RateLimiting;

/// <summary>
/// Fragment's request budget (60 requests a minute, 429 over it), shared by every instance through one Azure Table row
/// (section <c>Fragment:RateLimit</c>).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Fragment:RateLimit";

    /// <summary>The partner's limit: no sliding minute ever holds more requests than this, across every instance.</summary>
    [Range(1, int.MaxValue)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>
    /// How many requests may go back to back after a quiet spell (1 to <see cref="RequestsPerMinute"/>); Fragment
    /// tolerates small bursts but asks to avoid them. Each unit of burst above 1 costs one request a minute of steady rate.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int Burst { get; set; } = 1;

    /// <summary>
    /// How much later than its neighbours a request may reach the partner (network and processing jitter) without
    /// making one sliding minute hold more than <see cref="RequestsPerMinute"/> of them. Costs a little steady rate:
    /// 0.5 s at 60 a minute with burst 1 refills 59.5 a minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan JitterAllowance { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The largest difference between any two instances' clocks (each instance waits for its slot on its own clock, so
    /// one whose clock runs ahead sends early). Costs steady rate like <see cref="JitterAllowance"/>: 0.1 s (the default;
    /// NTP-synchronised hosts stay well within it) refills 59.4 a minute with the default allowance; clocks up to ±1 s
    /// apart need 2 s, 57.6 a minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Refill spacing: tokens per <see cref="RefillTicks"/>. The bucket's guarantee is that any window of length w holds
    /// at most Burst + w × rate (on the clocks of the instances that took the slots), so the (limit + 1)-th request comes
    /// no sooner than a minute + the jitter allowance + the clock skew after the first: rate = (limit − burst + 1) /
    /// (1 min + allowance + skew).
    /// </summary>
    internal long RefillTokens => RequestsPerMinute - Burst + 1L;

    internal long RefillTicks => TimeSpan.TicksPerMinute + JitterAllowance.Ticks + ClockSkew.Ticks;

    /// <summary>Azure Table holding the shared bucket row.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string Table { get; set; } = "FragmentRateLimit";

    /// <summary>
    /// Longest a caller waits for a slot; beyond it <see cref="DistributedRateLimiter.WaitAsync"/> answers false and the
    /// message is delayed instead. Keep it below <c>Fragment:TotalTimeout</c>, which also bounds the wait.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(20);
}
