using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Cli.Commands;

internal static class ConsoleHost
{
    /// <summary>
    /// Settings from environment variables (<c>Section__Key</c>), the JSON file of <c>--settings FILE</c> (e.g. the
    /// <c>.local/run-settings.json</c> that <c>integration run --local</c> writes) and <c>--Section:Key=value</c>
    /// arguments, which win. One-line console logs with scopes.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(CliSettings settings)
    {
        var overrides = settings.Overrides.ToArray();
        var builder = Host.CreateApplicationBuilder(overrides);
        if (settings.File is { } file)
        {
            builder.Configuration.AddJsonFile(file, optional: false);
            builder.Configuration.AddCommandLine(overrides);
        }

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

    /// <summary>
    /// Builds and runs the host until it is stopped (Ctrl+C, SIGTERM); a stop while it is still starting is a stop like
    /// any other.
    /// </summary>
    public static async Task<int> RunUntilStoppedAsync(HostApplicationBuilder builder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        using var host = builder.Build();
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return IntegrationCli.Done;
    }
}
