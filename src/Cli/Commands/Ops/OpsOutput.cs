using Integration.Operations;

namespace Integration.Cli.Commands.Ops;

internal static class OpsOutput
{
    /// <summary>Exit codes: 0 done, 1 the operation found or left problems, 2 bad usage, 3 could not run (storage, endpoint).</summary>
    public const int Done = 0;
    public const int Problems = 1;
    public const int Usage = 2;
    public const int Failed = 3;

    public static void Json<T>(T value) => Console.WriteLine(OpsJson.Serialize(value));

    public static async Task<int> UsageAsync(string usage, string? problem = null)
    {
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync(problem);
        }

        await Console.Error.WriteLineAsync("usage: " + usage);
        return Usage;
    }

    /// <summary>Progress goes to stderr, so stdout stays the result (and valid JSON with --json).</summary>
    public static IProgress<T> Progress<T>(Func<T, string> line) => new Progress<T>(p => Console.Error.WriteLine(line(p)));

    /// <summary>Runs a command body: expected failures (storage, endpoint, settings) become a message and exit code 3.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
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
