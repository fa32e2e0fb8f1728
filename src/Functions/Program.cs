using Integration;
using Integration.ServiceBus;
using Integration.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);

// No adaptive sampling: the alerts (infra/bicep/modules/alerts.bicep) count error logs, and a sampled-away "held" or
// token-refresh line would mute one. The volume is bounded by the partners' limits (Fragment: 60 requests a minute).
builder.Services
    .AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)
    .ConfigureFunctionsApplicationInsights();

// The Application Insights SDK adds a Warning-level rule for its own provider; drop it so the worker's
// Information logs reach Application Insights (host.json logging does not apply to worker logs).
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var warningRule = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (warningRule is not null)
    {
        options.Rules.Remove(warningRule);
    }
});

builder.UseEntraAuthenticationForTelemetry();
builder.AddIntegration().AddServiceBusTaskQueue();

builder.Build().Run();
