using Polly;

namespace Integration.Tasks.RateLimiting;

/// <summary>
/// Takes a slot of the shared Fragment budget before every attempt, quick retries included. It runs between the retry
/// and the attempt timeout, so waiting for a slot (bounded by <see cref="RateLimitOptions.MaxWait"/>) is not cut short
/// as if the partner were slow. No slot in time: the outcome is <see cref="RateLimitSlotUnavailableException"/>, which
/// is not retried; nothing was sent.
/// </summary>
internal sealed class RateLimitStrategy(DistributedRateLimiter limiter) : ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        if (!await limiter.WaitAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext))
        {
            var next = await limiter.NextAvailableAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            return Outcome.FromException<HttpResponseMessage>(new RateLimitSlotUnavailableException(next));
        }

        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}
