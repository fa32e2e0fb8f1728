using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Functions.Telemetry;

internal static class TelemetryIdentity
{
    /// <summary>
    /// Application Insights has local authentication off (infra): the host authenticates with
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>ClientId=…;Authorization=AAD</c>), but the worker's SDK does
    /// not read it, so the worker's telemetry gets the same user-assigned identity here.
    /// </summary>
    public static IHostApplicationBuilder UseEntraAuthenticationForTelemetry(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] is { Length: > 0 } authentication)
        {
            var clientId = authentication.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(part => part.Split('=', 2))
                .FirstOrDefault(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))?[1];
            var credential = clientId is null
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            builder.Services.Configure<TelemetryConfiguration>(configuration => configuration.SetAzureTokenCredential(credential));
        }

        return builder;
    }
}
