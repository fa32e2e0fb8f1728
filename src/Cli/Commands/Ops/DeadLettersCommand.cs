using System.CommandLine;
using Integration.DeadLetters;
using Integration.Local.Tasks;
using Integration.Operations;
using Integration.Operations.DeadLetters;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary><c>integration deadletters list|groups|redrive</c>: what failed and why, and sending it back safely.</summary>
internal static class DeadLettersCommand
{
    public static Command Create(IReadOnlyList<string> overrides) => new("deadletters", "Dead-lettered task messages: what failed and why, and sending them back safely.")
    {
        List(overrides),
        Groups(overrides),
        Redrive(overrides),
        DeadLetterArchiveCommands.Discard(overrides),
        DeadLetterArchiveCommands.Archived(overrides),
    };

    private static Command List(IReadOnlyList<string> overrides)
    {
        var (options, json, remote, page) = (new FilterOptions(), CliOptions.Json(), CliOptions.Remote(), CliOptions.Page());
        var bodies = new Option<bool>("--bodies") { Description = "Show each message's body too (secrets masked)." };
        var command = options.AddTo(new Command("list", "The dead-lettered task messages a filter takes, a page at a time (a peek: nothing is locked or changed).")
        {
            page.Max, page.After, bodies, json, remote,
        });
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var request = options.Read(parse);
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote), services => services.AddLocalDeadLetterQueue());
            var query = CliOptions.PageQuery(parse, page, FilterQuery(request).Append(new("bodies", parse.GetValue(bodies) ? "true" : null)));
            var messages = await connection.PageAsync<DeadLetterSummary>("deadletters", query, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(messages);
                return OpsOutput.Done;
            }

            Console.WriteLine($"{messages.Items.Count} dead-lettered task message(s){(messages.Next is null ? "" : " (one page)")}:");
            foreach (var m in messages.Items)
            {
                Console.WriteLine($"  {m.FailedAt:u}  {m.MessageId}  {m.Fingerprint}  attempts {m.Attempts}, redriven {m.RedriveCount}x, task {m.TaskUid ?? "-"}: {m.Description}");
                if (m.Body is { } body)
                {
                    Console.WriteLine($"      {body}");
                }
            }

            OpsOutput.More(messages.Next, messages.Items.Count);
            return OpsOutput.Done;
        }));
        return command;
    }

    private static IEnumerable<KeyValuePair<string, string?>> FilterQuery(RedriveCommand request) =>
    [
        new("fingerprint", Join(request.Fingerprints)),
        new("reason", Join(request.Reasons)),
        new("id", Join(request.MessageIds)),
        new("since", request.Since),
        new("until", request.Until),
    ];

    private static string? Join(IReadOnlyList<string>? values) => values is { Count: > 0 } ? string.Join(',', values) : null;

    private static Command Groups(IReadOnlyList<string> overrides)
    {
        var (options, json, remote) = (new FilterOptions(), CliOptions.Json(), CliOptions.Remote());
        var command = options.AddTo(new Command("groups", "Dead-lettered task messages grouped by cause (fingerprint: reason, HTTP status, partner error code).") { json, remote });
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var request = options.Read(parse);
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote), services => services.AddLocalDeadLetterQueue());
            if (request.ToFilter(connection.Time.GetUtcNow(), out var problem) is not { } filter)
            {
                return await OpsOutput.UsageAsync(problem!);
            }

            var groups = connection.IsRemote
                ? await connection.GetAsync<List<DeadLetterGroup>>("ops/deadletters/groups" + Query(request), cancellationToken)
                : await connection.Services.GetRequiredService<DeadLetterInspector>().GroupAsync(filter, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(groups);
                return OpsOutput.Done;
            }

            Console.WriteLine($"{groups.Sum(g => g.Count)} dead-lettered task message(s) in {groups.Count} group(s):");
            foreach (var g in groups)
            {
                Console.WriteLine($"  {g.Count,6}  {g.Fingerprint}  first {g.FirstAt:u}, last {g.LastAt:u}  e.g. {string.Join(", ", g.SampleMessageIds)}");
            }

            return OpsOutput.Done;
        }));
        return command;
    }

    private static Command Redrive(IReadOnlyList<string> overrides)
    {
        var (options, json, remote) = (new FilterOptions(), CliOptions.Json(), CliOptions.Remote());
        var (dryRun, rate, max) = (CliOptions.DryRun(), CliOptions.Rate(), CliOptions.Max());
        var command = options.AddTo(new Command(
            "redrive",
            "Send the dead-letters a filter takes back to the task queue, rate-limited and loop-guarded; progress on stderr, Ctrl+C stops between messages.")
        {
            dryRun, rate, max, json, remote,
        });
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var request = options.Read(parse) with { DryRun = parse.GetValue(dryRun), MessagesPerSecond = parse.GetValue(rate), MaxMessages = parse.GetValue(max) };
            var asJson = parse.GetValue(json);
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote), services => services.AddLocalDeadLetterQueue());
            if (request.ToFilter(connection.Time.GetUtcNow(), out var problem) is not { } filter)
            {
                return await OpsOutput.UsageAsync(problem!);
            }

            using var progress = OpsOutput.Progress<RedriveProgress>(asJson, p => $"redrive: {p.Moved} {(request.DryRun ? "would move" : "moved")}, {p.Skipped} not matching, {p.LoopGuarded} loop-guarded, of {p.Received} looked at");
            var result = connection.IsRemote
                ? await RemoteRedriveAsync(connection, "ops/deadletters/redrive", request, progress, cancellationToken)
                : await connection.Services.GetRequiredService<DeadLetterRedrive>().RunAsync(
                    new RedriveRequest(filter, request.DryRun, OpsConnection.Actor, request.MessagesPerSecond, request.MaxMessages), progress, cancellationToken);
            progress.Dispose();
            if (asJson)
            {
                OpsOutput.Json(result);
            }
            else
            {
                var c = result.Counts;
                Console.WriteLine($"Redrive{(result.DryRun ? " (dry run: nothing moved)" : "")}: {c.Matched} matched, {c.Moved} {(result.DryRun ? "would be moved" : "moved back to the task queue")}, "
                    + $"{c.LoopGuarded} left in place by the loop guard{(result.LoopGuardedMessageIds.Count > 0 ? $" ({string.Join(", ", result.LoopGuardedMessageIds)})" : "")}, {c.Skipped} not matching"
                    + (c.LeftForNextPass > 0 ? $", {c.LeftForNextPass} dead-lettered after the redrive started (e.g. copies failing again) left for the next command" : "")
                    + (result.ReachedMaximum ? "; stopped at the maximum, more may match" : "") + (result.Cancelled ? "; cancelled" : "") + (result.Error is { } e ? $"; failed: {e}" : "") + ".");
            }

            return result.Error is not null ? OpsOutput.Failed : result.Cancelled || result.Counts.LoopGuarded > 0 ? OpsOutput.Problems : OpsOutput.Done;
        }));
        return command;
    }

    /// <summary>
    /// A redrive (or a restore from the archive, <paramref name="path"/>) over HTTP: each call moves one bounded slice; the
    /// next goes on in the same pass until nothing more matches, the maximum, or Ctrl+C.
    /// </summary>
    internal static async Task<RedriveResult> RemoteRedriveAsync(
        OpsConnection connection, string path, RedriveCommand command, ProgressLine<RedriveProgress> progress, CancellationToken cancellationToken)
    {
        RedriveResult? total = null;
        while (true)
        {
            var left = command.MaxMessages is { } max ? max - (total?.Counts.Moved ?? 0) : (int?)null;
            var slice = await connection.PostAsync<RedriveResult>(path, command with { MaxMessages = left, Pass = total?.Pass }, cancellationToken);
            total = total is null ? slice : Add(total, slice);
            progress.Report(total.Counts);
            if (!slice.ReachedMaximum || slice.Counts.Moved == 0 || command.DryRun || cancellationToken.IsCancellationRequested || left <= slice.Counts.Moved)
            {
                return total with { Cancelled = total.Cancelled || cancellationToken.IsCancellationRequested };
            }
        }
    }

    private static RedriveResult Add(RedriveResult a, RedriveResult b) => new(
        a.DryRun,
        new RedriveProgress(a.Counts.Received + b.Counts.Received, a.Counts.Matched + b.Counts.Matched, a.Counts.Moved + b.Counts.Moved, b.Counts.Skipped, b.Counts.LoopGuarded, a.Counts.Failed + b.Counts.Failed, b.Counts.LeftForNextPass),
        [.. a.MovedMessageIds, .. b.MovedMessageIds],
        b.LoopGuardedMessageIds,
        a.Cancelled || b.Cancelled,
        b.ReachedMaximum,
        b.Error ?? a.Error) { Pass = a.Pass };

    private static string Query(RedriveCommand command)
    {
        var parts = new List<string>();
        void Add(string name, IEnumerable<string>? values)
        {
            if (values?.ToList() is { Count: > 0 } list)
            {
                parts.Add($"{name}={Uri.EscapeDataString(string.Join(',', list))}");
            }
        }

        Add("fingerprint", command.Fingerprints);
        Add("reason", command.Reasons);
        Add("id", command.MessageIds);
        Add("since", command.Since is null ? null : [command.Since]);
        Add("until", command.Until is null ? null : [command.Until]);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>The filter options of list, groups, redrive, discard and the archive's commands.</summary>
    internal sealed class FilterOptions
    {
        private readonly Option<string[]> _fingerprints = CliOptions.List("--fingerprint", "F", "Only this fingerprint (repeatable, or comma-separated), as `groups` shows it.");
        private readonly Option<string[]> _reasons = CliOptions.List("--reason", "R", "Only this dead-letter reason (repeatable, or comma-separated).");
        private readonly Option<string[]> _ids = CliOptions.List("--id", "MESSAGE-ID", "Only this message (repeatable, or comma-separated).");
        private readonly Option<string?> _since = CliOptions.Time("--since", "Only dead-lettered since then.");
        private readonly Option<string?> _until = CliOptions.Time("--until", "Only dead-lettered before then.");

        public Command AddTo(Command command)
        {
            foreach (var option in new Option[] { _fingerprints, _reasons, _ids, _since, _until })
            {
                command.Options.Add(option);
            }

            return command;
        }

        public RedriveCommand Read(ParseResult parse) =>
            new(parse.GetValue(_fingerprints), parse.GetValue(_reasons), parse.GetValue(_ids), parse.GetValue(_since), parse.GetValue(_until));
    }
}
