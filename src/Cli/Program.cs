using Integration.Cli.Commands;

return args switch
{
    ["run", .. var rest] => await RunCommand.ExecuteAsync(rest),
    ["secrets", "set", var name, .. var rest] => await SecretsSetCommand.ExecuteAsync(name, rest),
    ["import", var file, .. var rest] => await ImportCommand.ExecuteAsync(file, rest),
    ["tasks", "push", var file, .. var rest] => await TasksPushCommand.ExecuteAsync(file, rest),
    ["sandbox", .. var rest] => await SandboxCommand.ExecuteAsync(rest),
    _ => Usage.Print(),
};
