using Integration.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary>
/// <c>integration resync --since T</c>: the latest accepted upsert of every task since T goes through the task queue
/// again (rate-limited, stale-guarded), with progress on stderr; Ctrl+C stops between messages.
/// </summary>
internal static class ResyncOpsCommand
{
    private const string Usage = "integration resync --since 2h|ISO-TIME [--dry-run] [--rate MESSAGES-PER-SECOND] [--max N] [--json] [--remote] [--settings FILE]";

    public static Task<int> ExecuteAsync(string[] rest, Action<IServiceCollection> localQueue) => OpsOutput.GuardAsync(async () =>
    {
        var args = OpsArguments.Parse(rest);
        if (args.Check(0, "--since", "--dry-run", "--rate", "--max", "--json", "--remote", "--settings") is { } problem)
        {
            return await OpsOutput.UsageAsync(Usage, problem);
        }

        if (!args.TryNumber("--rate", out var rate) || !args.TryNumber("--max", out var max))
        {
            return await OpsOutput.UsageAsync(Usage, "--rate and --max take positive numbers");
        }

        using var connection = OpsConnection.Open(args, localQueue);
        if (!OpsJson.TryParseTime(args.Value("--since"), connection.Time.GetUtcNow(), out var since))
        {
            return await OpsOutput.UsageAsync(Usage, "--since is required: an ISO 8601 time or a duration such as 2h");
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        ResyncResult result;
        if (connection.IsRemote)
        {
            // Each call is one bounded slice; the next starts where it stopped, until nothing is left or we are cancelled.
            var sent = 0;
            while (true)
            {
                result = await connection.PostAsync<ResyncResult>(
                    "ops/resync",
                    new ResyncCommand(since.ToString("O"), args.DryRun, rate, max is { } m ? (int)m - sent : null),
                    cancel.Token);
                sent += result.Sent;
                Console.Error.WriteLine($"re-sync: {sent} sent so far");
                if (result.ResumeSince is not { } next || cancel.IsCancellationRequested || (max is { } limit && sent >= limit))
                {
                    result = result with { Sent = sent };
                    break;
                }

                since = next;
            }
        }
        else
        {
            result = await connection.Services.GetRequiredService<TaskResync>().RunAsync(
                new ResyncRequest(since, args.DryRun, OpsConnection.Actor, rate, max is { } m ? (int)m : null),
                OpsOutput.Progress<ResyncProgress>(p => $"re-sync: {p.Sent} of {p.Tasks} task(s) {(args.DryRun ? "counted" : "sent")}"),
                cancel.Token);
        }

        if (args.Json)
        {
            OpsOutput.Json(result);
        }
        else
        {
            Console.WriteLine($"Re-sync since {result.Since:u}{(result.DryRun ? " (dry run: nothing sent)" : "")}: {result.Tasks} task(s) upserted since then, "
                + $"{result.Sent} {(result.DryRun ? "would be sent" : "sent to the task queue")}, {result.WithoutBody.Count} without a kept message"
                + (result.ResumeSince is { } r ? $"; stopped early, resume with --since {r:O}" : "") + ".");
        }

        return result.Cancelled ? OpsOutput.Problems : OpsOutput.Done;
    });
}
