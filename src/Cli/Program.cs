using Integration.Cli.Commands;

return await IntegrationCli.RunAsync(args);
