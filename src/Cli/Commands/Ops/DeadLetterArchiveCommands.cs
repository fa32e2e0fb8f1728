using Integration.DeadLetters;
using Integration.DeadLetters.Archive;
using Integration.Operations;
using Integration.Tasks.Local;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary>Where an ops command runs: locally (settings as for <c>run</c>) or against the deployed app (<c>--remote</c>).</summary>
internal sealed record OpsTarget(bool Json, bool Remote, string? SettingsFile, IReadOnlyList<string> Settings)
{
    public OpsConnection Open() => OpsConnection.Open(
        OpsArguments.Parse([.. Settings, .. SettingsFile is null ? Array.Empty<string>() : ["--settings", SettingsFile], .. Remote ? ["--remote"] : Array.Empty<string>()]),
        services => services.AddLocalDeadLetterQueue());
}

/// <summary><c>deadletters discard</c>: the filter, dry run, maximum and note as <see cref="DiscardCommand"/> has them.</summary>
internal sealed record DiscardOptions(DiscardCommand Command, OpsTarget Target);

/// <summary><c>deadletters archived list</c>: the filter (as a redrive's) and the most entries listed.</summary>
internal sealed record ArchivedListOptions(RedriveCommand Filter, int Max, OpsTarget Target);

/// <summary><c>deadletters archived restore</c>: filter, dry run, rate and maximum as a redrive's.</summary>
internal sealed record ArchivedRestoreOptions(RedriveCommand Command, OpsTarget Target);

/// <summary>
/// <c>integration deadletters discard | archived list | archived restore</c>: getting rid of dead-letters that must never
/// be sent again, into an archive they can be restored from. Each command is a method taking its parsed options; the
/// <c>string[]</c> overloads parse them (to be replaced by the CLI's parser).
/// </summary>
internal static class DeadLetterArchiveCommands
{
    public const string DiscardUsage = "integration deadletters discard " + Filters + " [--dry-run] [--max N] [--note TEXT] [--json] [--remote] [--settings FILE]";
    public const string ListUsage = "integration deadletters archived list " + Filters + " [--max N] [--json] [--settings FILE]";
    public const string RestoreUsage = "integration deadletters archived restore " + Filters + " [--dry-run] [--rate MESSAGES-PER-SECOND] [--max N] [--json] [--settings FILE]";

    /// <summary>Most archived entries listed unless --max says otherwise.</summary>
    public const int DefaultListMax = 100;

    private const string Filters = "[--fingerprint F]... [--reason R]... [--id MESSAGE-ID]... [--since 2h|ISO-TIME] [--until ISO-TIME]";
    private static readonly string[] FilterOptions = ["--fingerprint", "--reason", "--id", "--since", "--until", "--json", "--settings"];

    public static Task<int> DiscardAsync(string[] rest) =>
        Parse(rest, DiscardUsage, [.. FilterOptions, "--dry-run", "--max", "--note", "--remote"], (args, filter, max, _) =>
            DiscardAsync(new DiscardOptions(
                new DiscardCommand(filter.Fingerprints, filter.Reasons, filter.MessageIds, filter.Since, filter.Until, args.DryRun, max, args.Value("--note")),
                Target(args))));

    public static Task<int> ListArchivedAsync(string[] rest) =>
        Parse(rest, ListUsage, [.. FilterOptions, "--max"], (args, filter, max, _) => ListArchivedAsync(new ArchivedListOptions(filter, max ?? DefaultListMax, Target(args))));

    public static Task<int> RestoreAsync(string[] rest) =>
        Parse(rest, RestoreUsage, [.. FilterOptions, "--dry-run", "--rate", "--max"], (args, filter, max, rate) =>
            RestoreAsync(new ArchivedRestoreOptions(filter with { DryRun = args.DryRun, MessagesPerSecond = rate, MaxMessages = max }, Target(args))));

    public static Task<int> DiscardAsync(DiscardOptions options) => OpsOutput.GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(options);
        using var connection = options.Target.Open();
        var command = options.Command;
        if (command.ToFilter(connection.Time.GetUtcNow(), out var problem) is not { } filter)
        {
            return await OpsOutput.UsageAsync(DiscardUsage, problem);
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
        if (options.Target.Remote || options.Max < 1)
        {
            return await OpsOutput.UsageAsync(ListUsage, options.Max < 1 ? "--max takes a positive count" : "archived list runs against the storage account in the settings, not --remote");
        }

        using var connection = options.Target.Open();
        if (options.Filter.ToFilter(connection.Time.GetUtcNow(), out var problem) is not { } filter)
        {
            return await OpsOutput.UsageAsync(ListUsage, problem);
        }

        var entries = await connection.Services.GetRequiredService<DeadLetterArchive>().ListAsync(filter, options.Max, CancellationToken.None).ToListAsync();
        var listed = entries.Select(e => new ArchivedSummary(e.Blob, e.ArchivedAt, e.ArchivedBy, e.Note, DeadLetterSummary.Of(e.Message))).ToList();
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
        if (options.Target.Remote)
        {
            return await OpsOutput.UsageAsync(RestoreUsage, "archived restore runs against the storage account in the settings, not --remote");
        }

        using var connection = options.Target.Open();
        var command = options.Command;
        if (command.ToFilter(connection.Time.GetUtcNow(), out var problem) is not { } filter)
        {
            return await OpsOutput.UsageAsync(RestoreUsage, problem);
        }

        using var cancel = CancelOnCtrlC();
        var result = await connection.Services.GetRequiredService<ArchiveRestore>().RunAsync(
            new RedriveRequest(filter, command.DryRun, OpsConnection.Actor, command.MessagesPerSecond, command.MaxMessages),
            OpsOutput.Progress<RedriveProgress>(p => $"restore: {p.Moved} {(command.DryRun ? "would be sent back" : "sent back")}, {p.Skipped} not matching, {p.LoopGuarded} loop-guarded, of {p.Received} looked at"),
            cancel.Token);
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

    private static OpsTarget Target(OpsArguments args) => new(args.Json, args.Remote, args.Value("--settings"), args.Settings);

    /// <summary>Parses the common filter and numbers; bad usage exits 2 before anything runs.</summary>
    private static Task<int> Parse(string[] rest, string usage, string[] known, Func<OpsArguments, RedriveCommand, int?, double?, Task<int>> run)
    {
        var args = OpsArguments.Parse(rest);
        if (args.Check(0, known) is { } problem)
        {
            return OpsOutput.UsageAsync(usage, problem);
        }

        if (!args.TryNumber("--max", out var max) || !args.TryNumber("--rate", out var rate) || max is { } m && (m != Math.Floor(m) || m > int.MaxValue))
        {
            return OpsOutput.UsageAsync(usage, "--max takes a positive whole number, --rate a positive number");
        }

        var filter = new RedriveCommand(args.Values("--fingerprint"), args.Values("--reason"), args.Values("--id"), args.Value("--since"), args.Value("--until"));
        return run(args, filter, max is { } whole ? (int)whole : null, rate);
    }

    /// <summary>One archived dead-letter as listed.</summary>
    private sealed record ArchivedSummary(string Blob, DateTimeOffset ArchivedAt, string ArchivedBy, string? Note, DeadLetterSummary DeadLetter);
}
