using Integration;
using Integration.Functions.Tasks;
using Integration.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);

builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();

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
builder.AddIntegration().AddTaskQueueSender();

builder.Build().Run();
