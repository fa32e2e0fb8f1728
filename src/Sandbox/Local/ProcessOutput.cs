using System.Diagnostics;
using System.Text;

namespace Integration.Sandbox.Local;

internal static class ProcessOutput
{
    /// <summary>Completes when the process prints a line containing <paramref name="marker"/>; fails if it exits first or stays silent too long.</summary>
    public static async Task WaitForLineAsync(Process process, string marker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seen = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"The process exited before printing '{marker}'. Output:\n{seen}"));
                return;
            }

            if (ready.Task.IsCompleted)
            {
                return; // keep nothing once started: a long-running process must not grow this buffer
            }

            lock (seen)
            {
                seen.AppendLine(e.Data);
            }

            if (e.Data.Contains(marker, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (ready.Task.IsCompleted)
            {
                return;
            }

            lock (seen)
            {
                seen.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(timeout, cancellationToken);
    }
}
