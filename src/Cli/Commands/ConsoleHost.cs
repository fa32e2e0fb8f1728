using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Cli.Commands;

internal static class ConsoleHost
{
    /// <summary>Environment variables (<c>Section__Key</c>) and <c>--Section:Key=value</c> arguments; one-line console logs with scopes.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders().AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Azure.Core", LogLevel.Error); // 401 challenges and 404s for absent secrets are expected
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        return builder;
    }
}
