using System.Net;
using Polly;
using Polly.Timeout;

namespace Integration.Common;

/// <summary>
/// The one classification of partner answers (<see cref="Classify"/>), and from it the one list of failures worth
/// retrying in-process: 429, 5xx, timeouts and connection failures. Not 408, not other 4xx.
/// </summary>
public static class TransientHttp
{
    /// <summary>What <paramref name="status"/> means; null (no answer) is <see cref="PartnerAnswerClass.Unavailable"/>.</summary>
    public static PartnerAnswerClass Classify(int? status) => status switch
    {
        >= 200 and < 300 => PartnerAnswerClass.Accepted,
        400 or 422 => PartnerAnswerClass.Invalid,
        401 or 403 => PartnerAnswerClass.CredentialRefused,
        429 => PartnerAnswerClass.Throttled,
        408 => PartnerAnswerClass.Unavailable,
        >= 400 and < 500 => PartnerAnswerClass.ClientError,
        _ => PartnerAnswerClass.Unavailable,
    };

    /// <summary>Worth a quick retry in-process: 429 or 5xx (408 is not: the partner gave up on a slow request).</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        Classify((int)status) is PartnerAnswerClass.Throttled || (int)status >= 500;

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
