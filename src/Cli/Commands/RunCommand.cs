using Integration.Imports;
using Integration.Tasks.Local;
using Integration.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary>
/// <c>integration run [--local | --local-queue] [--settings FILE]</c>: the pipelines in one process, on their schedules.
/// <c>--local</c> starts Azurite and the sandbox too; <c>--local-queue</c> consumes the Azurite task queue stand-in of the
/// configured storage (e.g. a run pointed at an Azurite and a sandbox that outlive it).
/// </summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string[] args)
    {
        var local = args.Contains("--local");
        var localQueue = local || args.Contains("--local-queue");
        var builder = ConsoleHost.CreateBuilder(args);

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
        if (localQueue)
        {
            builder.Services.AddLocalTaskQueueConsumer(); // the Azurite stand-in for the Service Bus queue
        }
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }
}
