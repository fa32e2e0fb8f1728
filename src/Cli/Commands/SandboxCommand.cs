using System.CommandLine;
using Integration.Sandbox;

namespace Integration.Cli.Commands;

/// <summary><c>integration sandbox</c>: the partner sandbox alone, until Ctrl+C or SIGTERM.</summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var command = new Command("sandbox", "Run the partner sandbox alone (until Ctrl+C or SIGTERM) and print the settings that point at it.");
        command.SetAction(async (_, cancellationToken) =>
        {
            var options = new SandboxOptions { CertificatePath = Path.Combine(Environment.CurrentDirectory, ".local", "sandbox-keyvault.pfx") };
            await using var sandbox = await PartnerSandbox.StartAsync(options, ct: cancellationToken);
            Console.WriteLine("Partner sandbox running. Point the app at it with:");
            foreach (var (key, value) in sandbox.AppSettings())
            {
                Console.WriteLine($"  export {key.Replace(":", "__", StringComparison.Ordinal)}={value}");
            }

            Console.WriteLine($"It accepts the Dragonfruit refresh token '{sandbox.CurrentRefreshToken}' (store it with: integration secrets set dragonfruit-refresh-token).");
            try
            {
                // System.CommandLine cancels this on Ctrl+C and on SIGTERM (e.g. `docker stop`, `kill`).
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Partner sandbox stopped.");
            }

            return IntegrationCli.Done;
        });
        return command;
    }
}
