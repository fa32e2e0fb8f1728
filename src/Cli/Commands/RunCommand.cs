using System.CommandLine;
using Integration.Local.Imports;
using Integration.Local.Tasks;
using Integration.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary>
/// <c>integration run [--local [--data DIR] | --local-queue]</c>: the pipelines in one process, on their schedules.
/// <c>--local</c> starts Azurite and the sandbox too; <c>--local-queue</c> consumes the Azurite task queue stand-in of the
/// configured storage (e.g. a run pointed at an Azurite and a sandbox that outlive it).
/// </summary>
internal static class RunCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var local = CliOptions.Local("Start Azurite and the partner sandbox and use them for every setting not given otherwise (arguments > environment > these defaults).");
        var localQueue = new Option<bool>("--local-queue") { Description = "Consume the Azurite task queue stand-in of the configured storage." };
        var data = LocalEnvironment.DataOption();
        var settingsOut = new Option<FileInfo?>("--settings-out")
        {
            Description = "Where --local writes the settings that reach this run (default .local/run-settings.json).",
            HelpName = "FILE",
        };
        var command = new Command("run", "Host the pipelines (imports, task upserts, token refresh on Tokens:RefreshSchedule) until Ctrl+C or SIGTERM.")
        {
            local, localQueue, data, settingsOut,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(data) is not null || result.GetValue(settingsOut) is not null) && !result.GetValue(local))
            {
                result.AddError("--data and --settings-out are for a local run: they go with --local");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = ConsoleHost.CreateBuilder(parse.Settings(overrides));
            await using var environment = await LocalEnvironment.StartIfAsync(parse.GetValue(local), builder, parse.GetValue(data));
            if (environment is not null)
            {
                // The operator commands (deadletters, resync, imports, tasks push) reach this run with --settings .local/run-settings.json.
                var file = environment.WriteSettings(builder.Configuration, parse.GetValue(settingsOut)?.FullName);
                Console.WriteLine($"Operator commands against this run: integration deadletters list --settings {file}");
            }

            builder.AddIntegration();
            builder.Services.AddHostedService<TokenRefreshSchedule>();
            builder.Services.AddLocalImportWatcher(); // the polling stand-in for the Event Grid blob trigger
            if (parse.GetValue(local) || parse.GetValue(localQueue))
            {
                builder.Services.AddLocalTaskQueueConsumer(); // the Azurite stand-in for the Service Bus queue
            }

            if (environment is not null)
            {
                OpsConsole.ConsoleCommand.AddConsole(builder, port: 0); // prints "Ops console: http://127.0.0.1:…/api/ops/console"
                builder.Services.AddLocalDeadLetterQueue();
            }

            return await ConsoleHost.RunUntilStoppedAsync(builder, cancellationToken);
        });
        return command;
    }
}
