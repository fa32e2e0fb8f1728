using System.Runtime.InteropServices;
using System.Text.Json;
using Integration.Sandbox;
using Integration.Tokens;

namespace Integration.Benchmark;

/// <summary>
/// The partner sandbox in a process of its own (as Azurite is, started by the script), so the measured process's RSS
/// holds only the client side.
/// </summary>
internal static class Servers
{
    public static async Task<int> ServeAsync(string settingsPath, string storageConnectionString)
    {
        // Imported sheets keep only counts and a hash, and no row is reported as an error: the sink side stays small and cheap.
        await using var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { KeepContentUpToBytes = 0, RowErrorMarker = "", DrainImports = true });
        sandbox.Secrets.Set(new TokensOptions().RefreshTokenSecretName, sandbox.CurrentRefreshToken);

        var settings = sandbox.AppSettings();
        settings["Storage:ConnectionString"] = storageConnectionString;
        settings["Bench:RefreshToken"] = sandbox.CurrentRefreshToken;
        var json = JsonSerializer.Serialize(settings);
        await File.WriteAllTextAsync(settingsPath + ".tmp", json);
        File.Move(settingsPath + ".tmp", settingsPath, overwrite: true); // readers never see half a file
        Console.WriteLine(json);

        var stop = new TaskCompletionSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await stop.Task;
        return 0;
    }
}
