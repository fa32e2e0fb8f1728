using System.CommandLine;
using Integration.Operations;
using Integration.Local.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary>
/// <c>integration resync --since T</c>: the latest accepted upsert of every task since T goes through the task queue
/// again (rate-limited, stale-guarded), with progress on stderr; Ctrl+C stops between messages. A re-sync that stopped
/// early answers a position: <c>--resume POSITION</c> goes on from its stored plan without reading the request log again.
/// </summary>
internal static class ResyncOpsCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var since = CliOptions.Time("--since", "Re-send the latest accepted upsert of every task upserted since then.");
        var resume = new Option<string?>("--resume")
        {
            Description = "Go on with a re-sync that stopped early (the position it printed), instead of --since: no new scan of the request log.",
            HelpName = "POSITION",
        };
        resume.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && ResyncPlanPosition.TryParse(text, out _) is { } problem)
            {
                result.AddError(problem);
            }
        });
        var (dryRun, rate, max, json, remote) = (CliOptions.DryRun(), CliOptions.Rate(), CliOptions.Max(), CliOptions.Json(), CliOptions.Remote());
        var command = new Command(
            "resync",
            "Send the latest upsert Fragment accepted of every task since T through the task queue again (e.g. after a partner restore); progress on stderr, Ctrl+C stops between messages.")
        {
            since, resume, dryRun, rate, max, json, remote,
        };
        command.Validators.Add(result =>
        {
            // The same words as the ops function's (ResyncCommand), checked while parsing so the help comes with them.
            if ((result.GetValue(since), result.GetValue(resume)) is (null, null) or (not null, not null)
                && new ResyncCommand(result.GetValue(since), Resume: result.GetValue(resume)).ToRequest(DateTimeOffset.UtcNow, OpsConnection.Actor, null, out var problem) is null)
            {
                result.AddError(problem!);
            }
        });
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var (isDryRun, perSecond, limit, asJson) = (parse.GetValue(dryRun), parse.GetValue(rate), parse.GetValue(max), parse.GetValue(json));
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote), services => services.AddLocalDeadLetterQueue());
            // The same checks as the ops function's (OpsLimits): a time within reach, a rate and a maximum in bounds.
            if (new ResyncCommand(parse.GetValue(since), isDryRun, perSecond, limit, parse.GetValue(resume)).ToRequest(connection.Time.GetUtcNow(), OpsConnection.Actor, null, out var problem) is not { } local)
            {
                return await OpsOutput.UsageAsync(problem!);
            }

            using var progress = OpsOutput.Progress<ResyncProgress>(asJson, p => $"re-sync: {p.Sent} of {p.Tasks} task(s) {(isDryRun ? "counted" : "sent")}");
            ResyncResult result;
            if (connection.IsRemote)
            {
                // Each call is one bounded slice; the first scans the request log, the next go on with its stored plan, until
                // nothing is left or we are cancelled.
                var (sent, next) = (0, new ResyncCommand(local.Resume is null ? local.Since.ToString("O") : null, isDryRun, perSecond, limit, local.Resume?.Encode()));
                while (true)
                {
                    result = await connection.PostAsync<ResyncResult>("ops/resync", next, cancellationToken);
                    sent += result.Sent;
                    progress.Report(new ResyncProgress(result.Tasks, sent));
                    if (result.Resume is not { } position || result.Sent == 0 || cancellationToken.IsCancellationRequested || sent >= limit)
                    {
                        result = result with { Sent = sent };
                        break;
                    }

                    next = next with { Since = null, Resume = position, MaxMessages = limit - sent };
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
                    + (result.Resume is { } r ? $"; stopped early, go on with --resume {r}" : "") + ".");
            }

            return result.Cancelled ? OpsOutput.Problems : OpsOutput.Done;
        }));
        return command;
    }
}
