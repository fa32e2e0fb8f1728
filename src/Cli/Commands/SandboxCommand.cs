using Integration.Sandbox;

namespace Integration.Cli.Commands;

/// <summary><c>integration sandbox</c>: the partner sandbox alone, until Ctrl+C.</summary>
internal static class SandboxCommand
{
    public static async Task<int> ExecuteAsync(string[] args)
    {
        var options = new SandboxOptions { CertificatePath = Path.Combine(Environment.CurrentDirectory, ".local", "sandbox-keyvault.pfx") };
        await using var sandbox = await PartnerSandbox.StartAsync(options);
        Console.WriteLine("Partner sandbox running. Point the app at it with:");
        foreach (var (key, value) in sandbox.AppSettings())
        {
            Console.WriteLine($"  export {key.Replace(":", "__", StringComparison.Ordinal)}={value}");
        }

        Console.WriteLine($"It accepts the Dragonfruit refresh token '{sandbox.CurrentRefreshToken}' (store it with: integration secrets set dragonfruit-refresh-token).");
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
