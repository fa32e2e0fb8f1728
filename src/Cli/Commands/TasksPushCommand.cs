using Integration.Storage;
using Integration.Tasks.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integration.Cli.Commands;

/// <summary>
/// <c>integration tasks push FILE.jsonl [--local]</c>: sends each non-empty line of FILE, byte for byte (not
/// re-serialized), as one task message to the local task queue, the Azurite stand-in for Service Bus.
/// </summary>
internal static class TasksPushCommand
{
    public static async Task<int> ExecuteAsync(string file, string[] args)
    {
        if (!File.Exists(file))
        {
            await Console.Error.WriteLineAsync("usage: integration tasks push FILE.jsonl [--local] [--Storage:ConnectionString=AZURITE]");
            return 2;
        }

        var local = args.Contains("--local");
        var builder = ConsoleHost.CreateBuilder(args);
        await using var environment = await LocalEnvironment.StartIfAsync(local, builder);
        builder.Services.AddLocalTaskQueue();
        using var host = builder.Build();
        await host.StartAsync();
        var queue = host.Services.GetRequiredService<LocalTaskQueue>();
        var connectionString = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString;
        var sent = 0;
        foreach (var (number, line) in Lines(await File.ReadAllBytesAsync(file)))
        {
            try
            {
                await queue.SendAsync(new BinaryData(line));
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"{file}:{number}: {e.Message}");
                Console.WriteLine($"Sent {sent} task message(s) from {file} to queue {queue.QueueName}, then stopped at line {number}.");
                await host.StopAsync();
                return 1;
            }

            sent++;
        }

        Console.WriteLine($"Sent {sent} task message(s) from {file} to queue {queue.QueueName}.");
        Console.WriteLine(
            "`integration run` is a separate process: it consumes them only when its local task queue points at this same Azurite, "
            + $"i.e. run it with --Storage:ConnectionString=\"{connectionString}\".");
        if (local)
        {
            Console.WriteLine(
                "This Azurite belongs to this command and is deleted when it ends: press Ctrl+C to stop it. "
                + "Simpler: start `integration run --local` first and push into the Azurite it prints, with --Storage:ConnectionString=... instead of --local.");
            await host.WaitForShutdownAsync();
            return 0;
        }

        await host.StopAsync();
        return 0;
    }

    /// <summary>The non-blank lines (LF or CRLF, a leading UTF-8 BOM dropped) with their 1-based numbers, as raw bytes.</summary>
    private static IEnumerable<(int Number, byte[] Line)> Lines(byte[] content)
    {
        var start = content.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        for (var number = 1; start <= content.Length; number++)
        {
            var length = Array.IndexOf(content, (byte)'\n', start) is var end and >= 0 ? end - start : content.Length - start;
            var line = content.AsSpan(start, length);
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (line.Trim(" \t"u8).Length > 0)
            {
                yield return (number, line.ToArray());
            }

            start += length + 1;
        }
    }
}
