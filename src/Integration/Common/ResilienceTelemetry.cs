using Microsoft.Extensions.DependencyInjection;
using Polly.Telemetry;

namespace Integration.Common;

internal static class ResilienceTelemetry
{
    /// <summary>
    /// Polly logs every handled attempt and every retry itself, a 503 as an error. The partner pipelines already log
    /// one structured warning per retry (<see cref="PartnerHttpRegistration"/>) and the callers one line per final
    /// answer, so Polly's own attempt and retry events go to Debug: an expected, retried 503 is not an error to alert on.
    /// </summary>
    public static IServiceCollection AddQuietResilienceTelemetry(this IServiceCollection services) =>
        services.Configure<TelemetryOptions>(options => options.SeverityProvider = args => args.Event.EventName switch
        {
            "ExecutionAttempt" or "OnRetry" => ResilienceEventSeverity.Debug,
            _ => args.Event.Severity,
        });
}
