using Integration.DeadLetters;
using Integration.Operations;
using Integration.Tasks.Local;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary><c>integration deadletters list|groups|redrive</c>: what failed and why, and sending it back safely.</summary>
internal static class DeadLettersCommand
{
    private const string Filters = "[--fingerprint F]... [--reason R]... [--id MESSAGE-ID]... [--since 2h|ISO-TIME] [--until ISO-TIME]";
    private const string Common = "[--json] [--remote] [--settings FILE]";
    private static readonly string[] FilterOptions = ["--fingerprint", "--reason", "--id", "--since", "--until", "--json", "--remote", "--settings"];

    public static Task<int> ListAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        const string usage = $"integration deadletters list {Filters} {Common}";
        if (Parse(rest, usage, FilterOptions, out var args, out var connection, out var command) is { } failed)
        {
            return await failed;
        }

        using (connection)
        {
            if (command!.ToFilter(connection!.Time.GetUtcNow(), out var problem) is not { } filter)
            {
                return await OpsOutput.UsageAsync(usage, problem);
            }

            var messages = connection.IsRemote
                ? await connection.GetAsync<List<DeadLetterSummary>>("ops/deadletters" + Query(command), CancellationToken.None)
                : await connection.Services.GetRequiredService<DeadLetterInspector>().ListAsync(filter, CancellationToken.None).Select(DeadLetterSummary.Of).ToListAsync();
            if (args!.Json)
            {
                OpsOutput.Json(messages);
                return OpsOutput.Done;
            }

            Console.WriteLine($"{messages.Count} dead-lettered task message(s):");
            foreach (var m in messages)
            {
                Console.WriteLine($"  {m.FailedAt:u}  {m.MessageId}  {m.Fingerprint}  attempts {m.Attempts}, redriven {m.RedriveCount}x, task {m.TaskUid ?? "-"}: {m.Description}");
            }

            return OpsOutput.Done;
        }
    });

    public static Task<int> GroupsAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        const string usage = $"integration deadletters groups {Filters} {Common}";
        if (Parse(rest, usage, FilterOptions, out var args, out var connection, out var command) is { } failed)
        {
            return await failed;
        }

        using (connection)
        {
            if (command!.ToFilter(connection!.Time.GetUtcNow(), out var problem) is not { } filter)
            {
                return await OpsOutput.UsageAsync(usage, problem);
            }

            var groups = connection.IsRemote
                ? await connection.GetAsync<List<DeadLetterGroup>>("ops/deadletters/groups" + Query(command), CancellationToken.None)
                : await connection.Services.GetRequiredService<DeadLetterInspector>().GroupAsync(filter, CancellationToken.None);
            if (args!.Json)
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
        }
    });

    public static Task<int> RedriveAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        const string usage = $"integration deadletters redrive {Filters} [--dry-run] [--rate MESSAGES-PER-SECOND] [--max N] {Common}";
        if (Parse(rest, usage, [.. FilterOptions, "--dry-run", "--rate", "--max"], out var args, out var connection, out var command) is { } failed)
        {
            return await failed;
        }

        using (connection)
        {
            if (!args!.TryNumber("--rate", out var rate) || !args.TryNumber("--max", out var max))
            {
                return await OpsOutput.UsageAsync(usage, "--rate and --max take positive numbers");
            }

            command = command! with { DryRun = args.DryRun, MessagesPerSecond = rate, MaxMessages = max is { } m ? (int)m : null };
            if (command.ToFilter(connection!.Time.GetUtcNow(), out var problem) is not { } filter)
            {
                return await OpsOutput.UsageAsync(usage, problem);
            }

            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
            var result = connection.IsRemote
                ? await RemoteRedriveAsync(connection, command, cancel.Token)
                : await connection.Services.GetRequiredService<DeadLetterRedrive>().RunAsync(
                    new RedriveRequest(filter, command.DryRun, OpsConnection.Actor, rate, command.MaxMessages),
                    OpsOutput.Progress<RedriveProgress>(p => $"redrive: {p.Moved} {(command.DryRun ? "would move" : "moved")}, {p.Skipped} not matching, {p.LoopGuarded} loop-guarded, of {p.Received} looked at"),
                    cancel.Token);
            if (args.Json)
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
        }
    });

    /// <summary>Each call moves one bounded slice; the next goes on until nothing more matches, the maximum, or Ctrl+C.</summary>
    private static async Task<RedriveResult> RemoteRedriveAsync(OpsConnection connection, RedriveCommand command, CancellationToken cancellationToken)
    {
        RedriveResult? total = null;
        while (true)
        {
            var left = command.MaxMessages is { } max ? max - (total?.Counts.Moved ?? 0) : (int?)null;
            var slice = await connection.PostAsync<RedriveResult>("ops/deadletters/redrive", command with { MaxMessages = left, Pass = total?.Pass }, cancellationToken);
            total = total is null ? slice : Add(total, slice);
            Console.Error.WriteLine($"redrive: {total.Counts.Moved} {(command.DryRun ? "would move" : "moved")} so far");
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

    private static Task<int>? Parse(string[] rest, string usage, string[] known, out OpsArguments? args, out OpsConnection? connection, out RedriveCommand? command)
    {
        (args, connection, command) = (OpsArguments.Parse(rest), null, null);
        if (args.Check(0, known) is { } problem)
        {
            return OpsOutput.UsageAsync(usage, problem);
        }

        command = new RedriveCommand(args.Values("--fingerprint"), args.Values("--reason"), args.Values("--id"), args.Value("--since"), args.Value("--until"));
        connection = OpsConnection.Open(args, services => services.AddLocalDeadLetterQueue());
        return null;
    }

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
}
