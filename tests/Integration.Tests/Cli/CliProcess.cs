using System.Diagnostics;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Cli;

/// <summary>The real <c>integration</c> executable (built with the tests), run as a process: exit code, stdout, stderr.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Out, string Error);

    private static string Dll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/{Configuration}/net10.0
            return Path.Combine(RepositoryRoot.Path, "src", "Cli", "bin", configuration, "net10.0", "integration.dll");
        }
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"integration {string.Join(' ', args)} did not end within 90 s. stderr: {await error}");
        }

        var result = new Result(process.ExitCode, await output, await error);
        return File.Exists(Dll) ? result : throw new FileNotFoundException($"The CLI is not built at {Dll}.");
    }
}
