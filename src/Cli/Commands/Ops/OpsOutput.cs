using Integration.Operations;

namespace Integration.Cli.Commands.Ops;

internal static class OpsOutput
{
    /// <summary>Exit codes: 0 done, 1 the operation found or left problems, 2 bad usage, 3 could not run (storage, endpoint).</summary>
    public const int Done = IntegrationCli.Done;
    public const int Problems = IntegrationCli.Problems;
    public const int Usage = IntegrationCli.Usage;
    public const int Failed = IntegrationCli.Failed;

    public static void Json<T>(T value) => Console.WriteLine(OpsJson.Serialize(value));

    /// <summary>Where a listing stopped, on stderr: how to ask for the next page (stdout stays the rows).</summary>
    public static void More(string? next, int shown)
    {
        if (next is not null)
        {
            Console.Error.WriteLine($"More than {shown}: add --after {next} for the next page.");
        }
    }

    /// <summary>A problem found once the command runs (e.g. a time relative to the store's clock): the line and exit 2.</summary>
    public static async Task<int> UsageAsync(string problem)
    {
        await Console.Error.WriteLineAsync($"error: {problem} (see --help)");
        return Usage;
    }

    /// <summary>
    /// Progress of a long operation on stderr, so stdout stays the result: on a terminal one line rewritten in place,
    /// redirected one line per step; with <c>--json</c> none at all (quiet and parseable).
    /// </summary>
    public static ProgressLine<T> Progress<T>(bool json, Func<T, string> line) => new(json ? null : line, !Console.IsErrorRedirected);

    /// <summary>Runs a command body: expected failures (storage, endpoint, settings) become a message and exit code 3.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OpsUsageException e)
        {
            return await UsageAsync(e.Message);
        }
        catch (Operations.InvalidBlobNameException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return Usage;
        }
        catch (Exception e) when (e is HttpRequestException or Azure.RequestFailedException or ArgumentException or InvalidOperationException or Imports.ImportRetryException
            or Microsoft.Extensions.Options.OptionsValidationException or FileNotFoundException or AggregateException { InnerException: Azure.RequestFailedException })
        {
            // Azure SDK retries end in an AggregateException of the same failure: its first one says it.
            await Console.Error.WriteLineAsync($"error: {(e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message)}");
            return Failed;
        }
    }
}

/// <summary>See <see cref="OpsOutput.Progress{T}"/>. Reports synchronously (no thread-pool posting), so no line comes after the result.</summary>
internal sealed class ProgressLine<T>(Func<T, string>? line, bool terminal) : IProgress<T>, IDisposable
{
    private int _width;

    public void Report(T value)
    {
        if (line?.Invoke(value) is not { } text)
        {
            return;
        }

        lock (this)
        {
            if (terminal)
            {
                Console.Error.Write("\r" + text.PadRight(_width));
                _width = Math.Max(_width, text.Length);
            }
            else
            {
                Console.Error.WriteLine(text);
            }
        }
    }

    public void Dispose()
    {
        if (terminal && _width > 0)
        {
            Console.Error.WriteLine();
        }
    }
}
