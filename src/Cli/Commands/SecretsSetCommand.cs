using Integration.KeyVault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary><c>integration secrets set NAME [--value VALUE]</c>: writes one secret to the configured Key Vault.</summary>
internal static class SecretsSetCommand
{
    public static async Task<int> ExecuteAsync(string name, string[] args)
    {
        var valueIndex = Array.IndexOf(args, "--value");
        var value = valueIndex >= 0 && valueIndex + 1 < args.Length ? args[valueIndex + 1] : (await Console.In.ReadToEndAsync()).Trim();
        if (string.IsNullOrEmpty(value))
        {
            await Console.Error.WriteLineAsync($"No value for secret '{name}': pass --value or pipe it on stdin.");
            return 2;
        }

        var builder = ConsoleHost.CreateBuilder(valueIndex >= 0 ? [.. args[..valueIndex], .. args[(valueIndex + 2)..]] : args);
        builder.AddIntegration();
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<SecretStore>().SetAsync(name, value, null, null, CancellationToken.None);
        await Console.Out.WriteLineAsync($"Secret '{name}' written.");
        await host.StopAsync();
        return 0;
    }
}
