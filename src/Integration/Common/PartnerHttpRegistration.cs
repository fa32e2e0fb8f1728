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
    public static IHttpClientBuilder AddPartnerResilience<TOptions>(this IHttpClientBuilder builder, string partner)
        where TOptions : PartnerResilienceOptions
    {
        builder.ConfigureHttpClient((provider, client) =>
        {
            client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts govern, on the injected clock
            client.DefaultRequestHeaders.UserAgent.Clear();
            client.DefaultRequestHeaders.TryAddWithoutValidation(
                "User-Agent", provider.GetRequiredService<IOptions<HttpOptions>>().Value.UserAgent);
        });
        builder.AddResilienceHandler(partner, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<TOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Integration.PartnerHttp");
            pipeline.TimeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline
                .AddTimeout(options.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    ShouldHandle = args => ValueTask.FromResult(TransientHttp.IsTransient(args.Outcome)),
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
                })
                .AddTimeout(options.AttemptTimeout);
        });
        return builder;
    }
}
