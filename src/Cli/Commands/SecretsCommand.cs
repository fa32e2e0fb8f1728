using System.CommandLine;
using Integration.KeyVault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary><c>integration secrets set NAME [--value VALUE]</c>: writes one secret to the configured Key Vault.</summary>
internal static class SecretsCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var name = new Argument<string>("NAME") { Description = "The secret's name, e.g. dragonfruit-refresh-token or fragment-api-token." };
        var value = new Option<string?>("--value") { Description = "The value (read from stdin when absent, so it stays out of the shell history)." };
        var set = new Command("set", "Write a Key Vault secret, e.g. the Dragonfruit refresh token or the Fragment API token.") { name, value };
        set.SetAction(async (parse, cancellationToken) =>
        {
            var secret = parse.GetValue(value) ?? (await Console.In.ReadToEndAsync(cancellationToken)).Trim();
            if (string.IsNullOrEmpty(secret))
            {
                await Console.Error.WriteLineAsync($"No value for secret '{parse.GetValue(name)}': pass --value or pipe it on stdin.");
                return IntegrationCli.Usage;
            }

            var builder = ConsoleHost.CreateBuilder(parse.Settings(overrides));
            builder.AddIntegration();
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            await host.Services.GetRequiredService<SecretStore>().SetAsync(parse.GetValue(name)!, secret, null, null, cancellationToken);
            await Console.Out.WriteLineAsync($"Secret '{parse.GetValue(name)}' written.");
            await host.StopAsync(cancellationToken);
            return IntegrationCli.Done;
        });
        return new Command("secrets", "Key Vault secrets the app reads.") { set };
    }
}
