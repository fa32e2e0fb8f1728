using Azure.Core;

namespace Integration.Common;

/// <summary>
/// Retry and network timeout of one Azure SDK client (sub-section <c>Retry</c> of <c>Storage</c>, <c>KeyVault</c> and
/// <c>ServiceBus</c>). The SDK's defaults (100 s per try, 3 retries, delays up to 1 min) can hold a function for
/// several minutes on one unanswered call; these defaults give up on a try after 30 s, and on the call after
/// about 2 min (4 tries, exponential delays from 1 s up to 10 s), well inside a 5–10 min function timeout.
/// </summary>
public sealed class AzureClientRetry
{
    /// <summary>How long one try may take (the SDK's <c>NetworkTimeout</c>; Service Bus: <c>TryTimeout</c>).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first try (0 to 10).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; it doubles (with jitter) per retry.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between tries.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a call can take: every try timing out, plus every delay at its ceiling.</summary>
    public TimeSpan WorstCase => (NetworkTimeout * (MaxRetries + 1)) + (MaxDelay * MaxRetries);

    /// <summary>Sets <paramref name="retry"/> (a client options' <c>Retry</c>) from these settings.</summary>
    public void ApplyTo(RetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        retry.Mode = RetryMode.Exponential;
        retry.NetworkTimeout = NetworkTimeout;
        retry.MaxRetries = MaxRetries;
        retry.Delay = Delay;
        retry.MaxDelay = MaxDelay;
    }

    /// <summary>What is wrong with these settings, each naming the setting under <paramref name="section"/> (e.g. <c>Storage:Retry</c>).</summary>
    public IEnumerable<string> Problems(string section)
    {
        if (NetworkTimeout <= TimeSpan.Zero || NetworkTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{section}:NetworkTimeout must be above 0 and at most 00:05:00 (got {NetworkTimeout}).";
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return $"{section}:MaxRetries must be 0 to 10 (got {MaxRetries}).";
        }

        if (Delay <= TimeSpan.Zero)
        {
            yield return $"{section}:Delay must be above 0 (got {Delay}).";
        }

        if (MaxDelay < Delay)
        {
            yield return $"{section}:MaxDelay ({MaxDelay}) must be at least {section}:Delay ({Delay}).";
        }
    }
}
