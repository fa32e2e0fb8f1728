using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Cli.Commands;

internal static class ConsoleHost
{
    /// <summary>
    /// Settings from environment variables (<c>Section__Key</c>), a JSON file given as <c>--settings FILE</c> (e.g. the
    /// <c>.local/run-settings.json</c> that <c>integration run --local</c> writes) and <c>--Section:Key=value</c>
    /// arguments, which win; other arguments are the command's own. One-line console logs with scopes.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var overrides = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal)).ToArray();
        var builder = Host.CreateApplicationBuilder(overrides);
        var at = Array.IndexOf(args, "--settings");
        if (at >= 0 && at + 1 < args.Length)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(args[at + 1]), optional: false);
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
}
