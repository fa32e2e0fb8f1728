using System.CommandLine;
using Integration.Local.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands.OpsConsole;

/// <summary>
/// <c>integration console [--port N] --settings .local/run-settings.json</c>: the ops console of the storage and
/// partners the settings name (e.g. a local run's), on loopback, until Ctrl+C or SIGTERM. Prints its URL.
/// </summary>
internal static class ConsoleCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var port = new Option<int>("--port") { Description = "Loopback port (default: a free one).", HelpName = "PORT" };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError("--port takes 0 to 65535");
            }
        });
        var command = new Command("console", "Serve the ops console (dead-letters, archive, imports, Fragment budget, tokens) on loopback and print its URL; until Ctrl+C or SIGTERM.")
        {
            port,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = ConsoleHost.CreateBuilder(parse.Settings(overrides));
            AddConsole(builder, parse.GetValue(port));
            builder.AddIntegration();
            builder.Services.AddLocalDeadLetterQueue();
            return await ConsoleHost.RunUntilStoppedAsync(builder, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The console server as a hosted service of <paramref name="builder"/>'s host. A host on this machine has no App
    /// Service Authentication: unless the settings say otherwise, the console's calls are not asked for a principal
    /// (<c>Operations:Identity:Required=false</c>, a default any setting overrides); the server listens on loopback only.
    /// </summary>
    public static void AddConsole(HostApplicationBuilder builder, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Operations:Identity:Required"] = "false", ["Console:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        if (port != 0)
        {
            builder.Configuration["Console:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Services.AddOptions<OpsConsoleOptions>().BindConfiguration(OpsConsoleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OpsConsoleServer>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OpsConsoleServer>());
    }
}
