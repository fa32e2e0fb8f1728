using System.Diagnostics;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Cli;

/// <summary>The real <c>integration</c> executable (built with the tests), run as a process: exit code, stdout, stderr.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static string Dll
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

/// <summary>A long-running <c>integration</c> command (run, sandbox): its stdout lines as they come, stopped with SIGTERM.</summary>
internal sealed class RunningCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly System.Text.StringBuilder _error = new();

    private RunningCli(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                    Monitor.PulseAll(_lines);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_error)
            {
                _error.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static RunningCli Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(CliProcess.Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return new RunningCli(Process.Start(start)!);
    }

    /// <summary>The first stdout line containing <paramref name="text"/>, waiting up to 2 minutes (Azurite's first start installs it).</summary>
    public string WaitForLine(string text)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        lock (_lines)
        {
            while (true)
            {
                if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }

                if (_process.HasExited || DateTime.UtcNow > until)
                {
                    throw new TimeoutException($"No line with '{text}'. stdout: {string.Join('\n', _lines)} stderr: {_error}");
                }

                Monitor.Wait(_lines, TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>Sends SIGTERM (what `kill`, systemd and container runtimes send) and answers the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
