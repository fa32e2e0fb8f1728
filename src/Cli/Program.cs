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
        ["resync", .. var rest] => await ResyncOpsCommand.ExecuteAsync(rest, services => services.AddLocalDeadLetterQueue()),
        ["imports", "list", .. var rest] => await ImportsOpsCommand.ListAsync(rest),
        ["imports", "reimport", .. var rest] => await ImportsOpsCommand.ReimportAsync(rest),
        _ => Usage.Print(),
    };
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    // A setting is missing or wrong: say which, without a stack trace.
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 3;
}
