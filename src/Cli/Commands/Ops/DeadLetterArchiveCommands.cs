using System.CommandLine;
using Integration.Local.Tasks;
using Integration.Operations;
using Integration.Operations.Api;
using Integration.Operations.DeadLetters;
using Integration.Operations.DeadLetters.Archive;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary>Where an ops command runs: locally (settings as for <c>run</c>) or against the deployed app (<c>--remote</c>).</summary>
internal sealed record OpsTarget(bool Json, bool Remote, CliSettings Settings)
{
    public OpsConnection Open() => OpsConnection.Open(Settings, Remote, services => services.AddLocalDeadLetterQueue());
}

/// <summary><c>deadletters discard</c>: the filter, dry run, maximum and note as <see cref="DiscardCommand"/> has them.</summary>
internal sealed record DiscardOptions(DiscardCommand Command, OpsTarget Target);

/// <summary><c>deadletters archived list</c>: the filter (as a redrive's) and the most entries listed.</summary>
internal sealed record ArchivedListOptions(RedriveCommand Filter, int Max, OpsTarget Target);

/// <summary><c>deadletters archived restore</c>: filter, dry run, rate and maximum as a redrive's.</summary>
internal sealed record ArchivedRestoreOptions(RedriveCommand Command, OpsTarget Target);

/// <summary>
/// <c>integration deadletters discard | archived list | archived restore</c>: getting rid of dead-letters that must never
/// be sent again, into an archive they can be restored from. Each command is a method taking its parsed options.
/// </summary>
internal static class DeadLetterArchiveCommands
{
    /// <summary>Most archived entries listed unless --max says otherwise.</summary>
    public const int DefaultListMax = 100;

    public static Command Discard(IReadOnlyList<string> overrides)
    {
        var (filters, json, remote) = (new DeadLettersCommand.FilterOptions(), CliOptions.Json(), CliOptions.Remote());
        var (dryRun, max) = (CliOptions.DryRun(), CliOptions.Max());
        var note = new Option<string?>("--note") { Description = "Why they are discarded, kept with each archived message." };
        var command = filters.AddTo(new Command(
            "discard",
            "Archive the dead-letters a filter takes (body, properties, reason, who, when) and remove them: for messages that must never be sent again.")
        {
            dryRun, max, note, json, remote,
        });
        command.SetAction((parse, _) =>
        {
            var f = filters.Read(parse);
            return DiscardAsync(new DiscardOptions(
                new DiscardCommand(f.Fingerprints, f.Reasons, f.MessageIds, f.Since, f.Until, parse.GetValue(dryRun), parse.GetValue(max), parse.GetValue(note)),
                new OpsTarget(parse.GetValue(json), parse.GetValue(remote), parse.Settings(overrides))));
        });
        return command;
    }

    public static Command Archived(IReadOnlyList<string> overrides) => new("archived", "Discarded dead-letters, kept in the archive container.")
    {
        ArchivedList(overrides),
        ArchivedRestore(overrides),
    };

    private static Command ArchivedList(IReadOnlyList<string> overrides)
    {
        var (filters, json, max, remote) = (new DeadLettersCommand.FilterOptions(), CliOptions.Json(), CliOptions.Max(), CliOptions.Remote());
        var command = filters.AddTo(new Command("list", $"The archived dead-letters a filter takes (at most --max, {DefaultListMax} by default, {OpsPaging.MaxSize} at most).") { max, json, remote });
        command.SetAction((parse, _) => ListArchivedAsync(new ArchivedListOptions(
            filters.Read(parse), parse.GetValue(max) ?? DefaultListMax, new OpsTarget(parse.GetValue(json), parse.GetValue(remote), parse.Settings(overrides)))));
        return command;
    }

    private static Command ArchivedRestore(IReadOnlyList<string> overrides)
    {
        var (filters, json, remote) = (new DeadLettersCommand.FilterOptions(), CliOptions.Json(), CliOptions.Remote());
        var (dryRun, rate, max) = (CliOptions.DryRun(), CliOptions.Rate(), CliOptions.Max());
        var command = filters.AddTo(new Command(
            "restore",
            "Send archived dead-letters back to the task queue through the redrive path (rate, maximum, loop guard); removed from the archive once sent.")
        {
            dryRun, rate, max, json, remote,
        });
        command.SetAction((parse, _) => RestoreAsync(new ArchivedRestoreOptions(
            filters.Read(parse) with { DryRun = parse.GetValue(dryRun), MessagesPerSecond = parse.GetValue(rate), MaxMessages = parse.GetValue(max) },
            new OpsTarget(parse.GetValue(json), parse.GetValue(remote), parse.Settings(overrides)))));
        return command;
    }

    public static Task<int> DiscardAsync(DiscardOptions options) => OpsOutput.GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(options);
        using var connection = options.Target.Open();
        var command = options.Command;
        if (command.ToFilter(connection.Time.GetUtcNow(), out var problem) is not { } filter)
        {
            return await OpsOutput.UsageAsync(problem!);
        }

        using var cancel = CancelOnCtrlC();
        var result = connection.IsRemote
            ? await connection.PostAsync<DiscardResult>("ops/deadletters/discard", command, cancel.Token)
            : await connection.Services.GetRequiredService<DeadLetterDiscard>().RunAsync(
                new DiscardRequest(filter, command.DryRun, OpsConnection.Actor, command.MaxMessages, command.Note), cancel.Token);
        if (options.Target.Json)
        {
            OpsOutput.Json(result);
        }
        else
        {
            Console.WriteLine(
                $"Discard{(result.DryRun ? " (dry run: nothing archived or removed)" : "")}: {result.Discarded} {(result.DryRun ? "would be archived and removed" : "archived and removed from the dead-letters")}"
                + $"{(result.DiscardedMessageIds.Count > 0 ? $" ({string.Join(", ", result.DiscardedMessageIds)})" : "")}, {result.Skipped} not matching"
                + (result.LeftForNextPass > 0 ? $", {result.LeftForNextPass} dead-lettered after it started left in place" : "")
                + (result.ReachedMaximum ? "; stopped at the maximum, more may match" : "") + (result.Cancelled ? "; cancelled" : "") + (result.Error is { } e ? $"; failed: {e}" : "") + ".");
        }

        return result.Error is not null ? OpsOutput.Failed : result.Cancelled ? OpsOutput.Problems : OpsOutput.Done;
    });

    public static Task<int> ListArchivedAsync(ArchivedListOptions options) => OpsOutput.GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(options);
        using var connection = options.Target.Open();
        // The same listing either way: GET ops/deadletters/archived, over HTTP with --remote, else the core's OpsApi here.
        var f = options.Filter;
        var query = new Dictionary<string, string> { ["max"] = options.Max.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (name, values) in new[] { ("fingerprint", f.Fingerprints), ("reason", f.Reasons), ("id", f.MessageIds), ("since", f.Since is null ? null : [f.Since]), ("until", f.Until is null ? null : [f.Until]) })
        {
            if (values is { Count: > 0 })
            {
                query[name] = string.Join(',', values);
            }
        }

        var listed = (await connection.PageAsync<ArchivedSummary>("deadletters/archived", query, CancellationToken.None)).Items;
        if (options.Target.Json)
        {
            OpsOutput.Json(listed);
            return OpsOutput.Done;
        }

        Console.WriteLine($"{listed.Count} archived dead-letter(s){(listed.Count == options.Max ? " (the first --max; more may match)" : "")}:");
        foreach (var a in listed)
        {
            Console.WriteLine($"  {a.ArchivedAt:u} by {a.ArchivedBy}  {a.DeadLetter.MessageId}  {a.DeadLetter.Fingerprint}{(a.Note is null ? "" : $"  note: {a.Note}")}  ({a.Blob})");
        }

        return OpsOutput.Done;
    });

    public static Task<int> RestoreAsync(ArchivedRestoreOptions options) => OpsOutput.GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(options);
        using var connection = options.Target.Open();
        var command = options.Command;
        if (command.ToFilter(connection.Time.GetUtcNow(), out var problem) is not { } filter)
        {
            return await OpsOutput.UsageAsync(problem!);
        }

        using var cancel = CancelOnCtrlC();
        using var progress = OpsOutput.Progress<RedriveProgress>(options.Target.Json, p => $"restore: {p.Moved} {(command.DryRun ? "would be sent back" : "sent back")}, {p.Skipped} not matching, {p.LoopGuarded} loop-guarded, of {p.Received} looked at");
        var result = connection.IsRemote
            ? await DeadLettersCommand.RemoteRedriveAsync(connection, "ops/deadletters/archived/restore", command, progress, cancel.Token)
            : await connection.Services.GetRequiredService<ArchiveRestore>().RunAsync(
                new RedriveRequest(filter, command.DryRun, OpsConnection.Actor, command.MessagesPerSecond, command.MaxMessages), progress, cancel.Token);
        if (options.Target.Json)
        {
            OpsOutput.Json(result);
        }
        else
        {
            var c = result.Counts;
            Console.WriteLine(
                $"Restore{(result.DryRun ? " (dry run: nothing sent)" : "")}: {c.Matched} matched, {c.Moved} {(result.DryRun ? "would be sent back" : "sent back to the task queue and removed from the archive")}, "
                + $"{c.LoopGuarded} kept in the archive by the loop guard, {c.Skipped} not matching"
                + (result.ReachedMaximum ? "; stopped at the maximum, more may match" : "") + (result.Cancelled ? "; cancelled" : "") + (result.Error is { } e ? $"; failed: {e}" : "") + ".");
        }

        return result.Error is not null ? OpsOutput.Failed : result.Cancelled || result.Counts.LoopGuarded > 0 ? OpsOutput.Problems : OpsOutput.Done;
    });

    private static CancellationTokenSource CancelOnCtrlC()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        return cancel;
    }
}
