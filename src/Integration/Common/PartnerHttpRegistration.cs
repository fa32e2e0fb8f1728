using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Integration.Common;

public static class PartnerHttpRegistration
{
    /// <summary>
    /// The resilience every partner client gets, declared once: total timeout, then retry of
    /// <see cref="TransientHttp"/> failures with exponential backoff and jitter (Retry-After honoured),
    /// then a per-attempt timeout. Timing comes from the registered <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="beforeEachAttempt">
    /// A strategy run once per attempt, between the retry and the attempt timeout (so its own waiting is not cut short
    /// by the attempt timeout): e.g. taking a slot of a shared rate limit.
    /// </param>
    public static IHttpClientBuilder AddPartnerResilience<TOptions>(
        this IHttpClientBuilder builder,
        string partner,
        Func<IServiceProvider, ResilienceStrategy<HttpResponseMessage>>? beforeEachAttempt = null)
        where TOptions : PartnerResilienceOptions
    {
        builder.WithPartnerDefaults();
        builder.AddResilienceHandler(partner, (pipeline, context) =>
            ConfigurePipeline(pipeline, context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value, context.ServiceProvider, partner, beforeEachAttempt));
        return builder;
    }

    /// <summary>No HttpClient timeout (the pipeline's timeouts govern, on the injected clock) and the configured User-Agent.</summary>
    public static IHttpClientBuilder WithPartnerDefaults(this IHttpClientBuilder builder) =>
        builder.ConfigureHttpClient((provider, client) =>
        {
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.UserAgent.Clear();
            client.DefaultRequestHeaders.TryAddWithoutValidation(
                "User-Agent", provider.GetRequiredService<IOptions<HttpOptions>>().Value.UserAgent);
        });

    /// <summary>
    /// Registers the same strategies as a named pipeline, for calls whose request must be rebuilt on every attempt
    /// (a streamed upload cannot be re-sent): run them with <c>ResiliencePipelineProvider&lt;string&gt;</c>.
    /// </summary>
    public static IServiceCollection AddPartnerPipeline<TOptions>(this IServiceCollection services, string name, string partner)
        where TOptions : PartnerResilienceOptions =>
        services.AddResiliencePipeline<string, HttpResponseMessage>(name, (pipeline, context) =>
            ConfigurePipeline(pipeline, context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value, context.ServiceProvider, partner, beforeEachAttempt: null));

    internal static void ConfigurePipeline(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        PartnerResilienceOptions options,
        IServiceProvider services,
        string partner,
        Func<IServiceProvider, ResilienceStrategy<HttpResponseMessage>>? beforeEachAttempt)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Integration.PartnerHttp");
        var time = services.GetRequiredService<TimeProvider>();
        pipeline.TimeProvider = time;
        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0) // Polly refuses a retry strategy of 0 attempts: 0 means no retry strategy at all
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                // A Retry-After beyond RetryMaxDelay is handed back to the caller (e.g. to delay a message) instead of being waited for.
                ShouldHandle = args => ValueTask.FromResult(
                    TransientHttp.IsTransient(args.Outcome) && !TransientHttp.AsksToWaitLongerThan(args.Outcome, options.RetryMaxDelay, time)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldRetryAfterHeader = true,
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "{Partner} answered {Outcome}; retry {RetryNumber} of {MaxRetryAttempts} in {RetryDelay}",
                        partner,
                        TransientHttp.Describe(args.Outcome),
                        args.AttemptNumber + 1,
                        options.MaxRetryAttempts,
                        args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (beforeEachAttempt is not null)
        {
            pipeline.AddStrategy(_ => beforeEachAttempt(services), new PerAttemptStrategyOptions());
        }

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    private sealed class PerAttemptStrategyOptions : ResilienceStrategyOptions;
}
