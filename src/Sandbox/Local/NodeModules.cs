using System.Diagnostics;

namespace Integration.Sandbox.Local;

/// <summary>The repository's npm tools: installed from package-lock.json (<c>npm ci</c>) on first use, never assumed.</summary>
internal static class NodeModules
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static async Task<string> EnsureInstalledAsync(string repositoryRoot, string relativeScript, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", relativeScript);
        await Install.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(script))
            {
                return script;
            }

            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = repositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("Could not start npm (is Node.js on PATH?).");
            var errors = npm.StandardError.ReadToEndAsync(cancellationToken);
            await npm.StandardOutput.ReadToEndAsync(cancellationToken);
            await npm.WaitForExitAsync(cancellationToken);
            if (npm.ExitCode != 0 || !File.Exists(script))
            {
                throw new InvalidOperationException($"'npm ci' in {repositoryRoot} failed with exit code {npm.ExitCode}: {await errors}");
            }

            return script;
        }
        finally
        {
            Install.Release();
        }
    }
}
