using Integration.Cli.Commands;
using Integration.Cli.Commands.Ops;
using Integration.Tasks.Local;

try
{
    return args switch
    {
        ["run", .. var rest] => await RunCommand.ExecuteAsync(rest),
        ["secrets", "set", var name, .. var rest] => await SecretsSetCommand.ExecuteAsync(name, rest),
        ["import", var file, .. var rest] => await ImportCommand.ExecuteAsync(file, rest),
        ["tasks", "push", var file, .. var rest] => await TasksPushCommand.ExecuteAsync(file, rest),
        ["sandbox", .. var rest] => await SandboxCommand.ExecuteAsync(rest),
        ["deadletters", "list", .. var rest] => await DeadLettersCommand.ListAsync(rest),
        ["deadletters", "groups", .. var rest] => await DeadLettersCommand.GroupsAsync(rest),
        ["deadletters", "redrive", .. var rest] => await DeadLettersCommand.RedriveAsync(rest),
        ["deadletters", "discard", .. var rest] => await DeadLetterArchiveCommands.DiscardAsync(rest),
        ["deadletters", "archived", "list", .. var rest] => await DeadLetterArchiveCommands.ListArchivedAsync(rest),
        ["deadletters", "archived", "restore", .. var rest] => await DeadLetterArchiveCommands.RestoreAsync(rest),
        ["resync", .. var rest] => await ResyncOpsCommand.ExecuteAsync(rest, services => services.AddLocalDeadLetterQueue()),
        ["imports", "list", .. var rest] => await ImportsOpsCommand.ListAsync(rest),
        ["imports", "reimport", .. var rest] => await ImportsOpsCommand.ReimportAsync(rest),
        ["imports", "resolve", .. var rest] => await ImportsOpsCommand.ResolveAsync(rest),
        ["requests", "list", .. var rest] => await RequestsCommand.ListAsync(rest),
        _ => Usage.Print(),
    };
}
catch (Exception e) when (e is Microsoft.Extensions.Options.OptionsValidationException or FileNotFoundException or InvalidDataException or FormatException
    or Azure.RequestFailedException or AggregateException { InnerException: Azure.RequestFailedException } or HttpRequestException)
{
    // A setting or the settings file is wrong, or storage / an endpoint cannot be reached: one line, no stack trace.
    await Console.Error.WriteLineAsync($"error: {(e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message)}");
    return 3;
}
