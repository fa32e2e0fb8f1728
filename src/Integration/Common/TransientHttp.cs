using System.Net;
using Polly;
using Polly.Timeout;

namespace Integration.Common;

/// <summary>The one list of partner failures worth retrying: 429, 5xx, timeouts and connection failures. Not 408, not other 4xx.</summary>
public static class TransientHttp
{
    public static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    /// <summary>The answer asks to wait (Retry-After) longer than <paramref name="limit"/>: better deferred by the caller than waited for in-process.</summary>
    public static bool AsksToWaitLongerThan(Outcome<HttpResponseMessage> outcome, TimeSpan limit, TimeProvider time) =>
        outcome.Result is { } response && RetryAfter(response.Headers, time) is { } wait && wait > limit;

    /// <summary>How long an answer's Retry-After asks to wait (seconds or a date), or null when it has none.</summary>
    public static TimeSpan? RetryAfter(System.Net.Http.Headers.HttpResponseHeaders headers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(time);
        return headers.RetryAfter is { } retryAfter ? retryAfter.Delta ?? retryAfter.Date - time.GetUtcNow() ?? TimeSpan.Zero : null;
    }

    internal static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => $"HTTP {(int)response.StatusCode}",
        { Exception: TimeoutRejectedException } => "attempt timed out",
        { Exception: { } exception } => exception.GetType().Name,
        _ => "unknown",
    };
}
