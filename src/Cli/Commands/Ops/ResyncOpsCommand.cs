using System.CommandLine;
using Integration.Operations;
using Integration.Local.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary>
/// <c>integration resync --since T</c>: the latest accepted upsert of every task since T goes through the task queue
/// again (rate-limited, stale-guarded), with progress on stderr; Ctrl+C stops between messages.
/// </summary>
internal static class ResyncOpsCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var since = CliOptions.Time("--since", "Re-send the latest accepted upsert of every task upserted since then.", required: true);
        var (dryRun, rate, max, json, remote) = (CliOptions.DryRun(), CliOptions.Rate(), CliOptions.Max(), CliOptions.Json(), CliOptions.Remote());
        var command = new Command(
            "resync",
            "Send the latest upsert Fragment accepted of every task since T through the task queue again (e.g. after a partner restore); progress on stderr, Ctrl+C stops between messages.")
        {
            since, dryRun, rate, max, json, remote,
        };
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var (isDryRun, perSecond, limit, asJson) = (parse.GetValue(dryRun), parse.GetValue(rate), parse.GetValue(max), parse.GetValue(json));
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote), services => services.AddLocalDeadLetterQueue());
            // The same checks as the ops function's (OpsLimits): a time within reach, a rate and a maximum in bounds.
            if (new ResyncCommand(parse.GetValue(since)!, isDryRun, perSecond, limit).ToRequest(connection.Time.GetUtcNow(), OpsConnection.Actor, null, out var problem) is not { } local)
            {
                return await OpsOutput.UsageAsync(problem!);
            }

            var from = local.Since;

            using var progress = OpsOutput.Progress<ResyncProgress>(asJson, p => $"re-sync: {p.Sent} of {p.Tasks} task(s) {(isDryRun ? "counted" : "sent")}");
            ResyncResult result;
            if (connection.IsRemote)
            {
                // Each call is one bounded slice; the next starts where it stopped, until nothing is left or we are cancelled.
                var sent = 0;
                while (true)
                {
                    result = await connection.PostAsync<ResyncResult>("ops/resync", new ResyncCommand(from.ToString("O"), isDryRun, perSecond, limit - sent), cancellationToken);
                    sent += result.Sent;
                    progress.Report(new ResyncProgress(result.Tasks, sent));
                    if (result.ResumeSince is not { } next || result.Sent == 0 || cancellationToken.IsCancellationRequested || sent >= limit)
                    {
                        result = result with { Sent = sent };
                        break;
                    }

                    from = next;
                }
            }
            else
            {
                result = await connection.Services.GetRequiredService<TaskResync>().RunAsync(local, progress, cancellationToken);
            }

            progress.Dispose();
            if (asJson)
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
        }));
        return command;
    }
}
