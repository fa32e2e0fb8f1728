using System.CommandLine;
using Integration.Local.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary>
/// <c>integration tasks push FILE.jsonl</c>: sends each non-empty line of FILE, byte for byte (not re-serialized), as
/// one task message to the local task queue, the Azurite stand-in for Service Bus. A running <c>integration run --local</c>
/// is reached with <c>--settings .local/run-settings.json</c> (the file it writes); there is no <c>--local</c> of its own,
/// which pushed into a throwaway Azurite no run read.
/// </summary>
internal static class TasksPushCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "JSON lines: one task message per non-empty line." }.AcceptExistingOnly();
        var command = new Command(
            "push",
            "Send each non-empty line of FILE as one message to the local task queue (Azurite). To reach a running `integration run --local`: --settings .local/run-settings.json.")
        {
            file,
        };
        command.SetAction((parse, cancellationToken) => PushAsync(parse.GetValue(file)!.FullName, parse.Settings(overrides), cancellationToken));
        return command;
    }

    private static async Task<int> PushAsync(string file, CliSettings settings, CancellationToken cancellationToken)
    {
        var builder = ConsoleHost.CreateBuilder(settings);
        builder.Services.AddLocalTaskQueue();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var queue = host.Services.GetRequiredService<LocalTaskQueue>();
        var sent = 0;
        foreach (var (number, line) in Lines(await File.ReadAllBytesAsync(file, cancellationToken)))
        {
            try
            {
                await queue.SendAsync(new BinaryData(line), cancellationToken: cancellationToken);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"{file}:{number}: {e.Message}");
                Console.WriteLine($"Sent {sent} task message(s) from {file} to queue {queue.QueueName}, then stopped at line {number}.");
                await host.StopAsync(CancellationToken.None);
                return IntegrationCli.Problems;
            }

            sent++;
        }

        Console.WriteLine($"Sent {sent} task message(s) from {file} to queue {queue.QueueName}.");
        await host.StopAsync(CancellationToken.None);
        return IntegrationCli.Done;
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
