using System.Threading.RateLimiting;
using Integration.Common;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.RateLimiting;

namespace Integration.Tasks.RateLimiting;

/// <summary>
/// The one owner of Fragment's shared budget, a strategy of the Fragment client's pipeline run once per attempt (quick
/// retries included), between the retry and the attempt timeout so that waiting for a slot is not cut short as if the
/// partner were slow. Before the attempt it takes a permit of the <see cref="RateLimiter"/> (the distributed bucket):
/// none within MaxWait and the outcome is <see cref="RateLimiterRejectedException"/> with its RetryAfter (not retried;
/// nothing was sent). After it, a 429 pauses every instance until its Retry-After, and a 401/403 for
/// <see cref="TasksOptions.AuthFailureDelay"/>.
/// </summary>
public sealed class FragmentBudgetStrategy(
    DistributedRateLimiter limiter,
    TasksOptions tasks,
    TimeProvider time,
    ILogger<FragmentBudgetStrategy> logger) : ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        using (var lease = await limiter.AcquireAsync(1, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext))
        {
            if (!lease.IsAcquired)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.Zero;
                return Outcome.FromException<HttpResponseMessage>(new RateLimiterRejectedException($"No Fragment request slot within {retryAfter}.", retryAfter));
            }
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Result is { } response && Pause(response) is { } pause)
        {
            await limiter.PauseUntilAsync(time.GetUtcNow() + pause, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }

        return outcome;
    }

    /// <summary>How long every instance stops sending after this answer, if at all.</summary>
    private TimeSpan? Pause(HttpResponseMessage response)
    {
        switch (TransientHttp.Classify((int)response.StatusCode))
        {
            case PartnerAnswerClass.Throttled:
                var retryAfter = TransientHttp.RetryAfter(response.Headers, time) ?? tasks.RetryBaseDelay;
                logger.LogWarning("Fragment answered 429 despite the shared budget; every instance pauses for {RetryAfter}", retryAfter);
                return retryAfter;
            case PartnerAnswerClass.CredentialRefused:
                logger.LogWarning("Fragment refused the API token (HTTP {Status}); every instance pauses for {Pause}", (int)response.StatusCode, tasks.AuthFailureDelay);
                return tasks.AuthFailureDelay;
            default:
                return null;
        }
    }
}
