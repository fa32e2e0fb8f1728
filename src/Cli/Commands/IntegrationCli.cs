using System.CommandLine;
using System.Runtime.InteropServices;
using Integration.Cli.Commands.Ops;
using Integration.Cli.Commands.OpsConsole;

namespace Integration.Cli.Commands;

/// <summary>
/// The <c>integration</c> command line on System.CommandLine: one command group per file (<see cref="RunCommand"/>,
/// <see cref="TasksCommand"/>, <see cref="DeadLettersCommand"/>, ...), each built by its <c>Create</c>. Exit codes:
/// 0 done, 1 needs a look, 2 bad usage (with the problem, a suggestion for a typo and the command's help on stderr),
/// 3 could not run (a setting, storage or an endpoint: one line, no stack trace).
/// </summary>
internal static class IntegrationCli
{
    public const int Done = 0;
    public const int Problems = 1;
    public const int Usage = 2;
    public const int Failed = 3;

    public static RootCommand Create(IReadOnlyList<string> overrides)
    {
        var root = new RootCommand(
            "Integration: the pipelines (run), local tools (import, tasks, sandbox, secrets) and the operator commands. "
            + "Settings: environment variables (Section__Key), --settings FILE, then --Section:Key=value arguments (which win).");
        root.Options.Add(CliOptions.Settings);
        Command[] groups =
        [
            RunCommand.Create(overrides),
            SecretsCommand.Create(overrides),
            ImportCommand.Create(overrides),
            TasksCommand.Create(overrides),
            SandboxCommand.Create(),
            DeadLettersCommand.Create(overrides),
            ResyncOpsCommand.Create(overrides),
            ImportsOpsCommand.Create(overrides),
            RequestsCommand.Create(overrides),
            ConsoleCommand.Create(overrides),
        ];
        foreach (var group in groups)
        {
            root.Subcommands.Add(group);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var overrides = args.Where(CliSettings.IsOverride).ToArray();
        var parse = Create(overrides).Parse([.. args.Where(a => !CliSettings.IsOverride(a))], new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            // The problem, a suggestion for a typo and the command's help, all on stderr (stdout stays the result).
            await parse.InvokeAsync(new InvocationConfiguration { Output = Console.Error, Error = Console.Error });
            return Usage;
        }

        // Ctrl+C (SIGINT) and SIGTERM cancel the command's token; the command ends as it would when cancelled (a redrive
        // between messages, a run after its host stopped) and its own exit code stands. System.CommandLine's own
        // handler would answer 130/143 and drop the result, so it is off (ProcessTerminationTimeout null).
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            _ = Task.Run(stop.Cancel); // the token's callbacks (a host stopping) run off the signal thread
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        try
        {
            return await parse.InvokeAsync(configuration, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM before the command could stop on its own terms: nothing more was done.
            await Console.Error.WriteLineAsync("cancelled");
            return Problems;
        }
        catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or FileNotFoundException or InvalidDataException or FormatException
            or Azure.RequestFailedException or AggregateException { InnerException: Azure.RequestFailedException } or HttpRequestException)
        {
            // A setting or the settings file is wrong, or storage / an endpoint cannot be reached: one line, no stack trace.
            await Console.Error.WriteLineAsync($"error: {(e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message)}");
            return Failed;
        }
    }

    /// <summary>The settings of this invocation: the global <c>--settings</c> file and the overrides.</summary>
    public static CliSettings Settings(this ParseResult parse, IReadOnlyList<string> overrides) =>
        new(parse.GetValue(CliOptions.Settings)?.FullName, overrides);
}
