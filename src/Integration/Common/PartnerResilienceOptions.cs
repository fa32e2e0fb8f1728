using System.ComponentModel.DataAnnotations;

namespace Integration.Common;

/// <summary>Retry and timeout settings of one partner's HTTP client.</summary>
public abstract class PartnerResilienceOptions
{
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Response headers that may carry the partner's request id, first match wins.</summary>
    public string RequestIdHeaders { get; set; } = "x-request-id,request-id,x-correlation-id";

    /// <summary>The partner's request id from the first of <see cref="RequestIdHeaders"/> the answer carries.</summary>
    internal string? FindRequestId(System.Net.Http.Headers.HttpResponseHeaders headers) =>
        RequestIdHeaders.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null)
            .FirstOrDefault(value => !string.IsNullOrEmpty(value));

    internal virtual IEnumerable<string> Validate(string section)
    {
        if (AttemptTimeout > TotalTimeout)
        {
            yield return $"{section}:AttemptTimeout ({AttemptTimeout}) must not exceed {section}:TotalTimeout ({TotalTimeout}).";
        }

        if (RetryBaseDelay > RetryMaxDelay)
        {
            yield return $"{section}:RetryBaseDelay ({RetryBaseDelay}) must not exceed {section}:RetryMaxDelay ({RetryMaxDelay}).";
        }
    }
}
