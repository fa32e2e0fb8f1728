using Integration.Imports;
using Integration.Tasks.Local;
using Integration.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary><c>integration run [--local]</c>: the pipelines in one process, on their schedules.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string[] args)
    {
        var local = args.Contains("--local");
        var builder = ConsoleHost.CreateBuilder(args.Where(a => a != "--local").ToArray());
        await using var environment = await LocalEnvironment.StartIfAsync(local, builder);
        if (environment is not null)
        {
            // The operator commands (deadletters, resync, imports) reach this run with --settings .local/run-settings.json.
            var file = environment.WriteSettings();
            Console.WriteLine($"Operator commands against this run: integration deadletters list --settings {file}");
        }

        builder.AddIntegration();
        builder.Services.AddHostedService<TokenRefreshSchedule>();
        builder.Services.AddHostedService<LocalImportWatcher>();
        if (local)
        {
            builder.Services.AddLocalTaskQueueConsumer(); // the Azurite stand-in for the Service Bus queue
        }
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }
}
