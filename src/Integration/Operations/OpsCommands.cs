using Integration.DeadLetters;

namespace Integration.Operations;

/// <summary>Body of <c>POST ops/imports/reimport</c>.</summary>
public sealed record ReimportCommand(string Blob);

/// <summary>
/// Body of <c>POST ops/imports/resolve</c>: settles an import held for a lost answer. <paramref name="Arrived"/> is what
/// the operator found in Dragonfruit, and is required: a missing value must never default to sending the part again.
/// </summary>
public sealed record ResolveImportCommand(string Blob, bool? Arrived);

/// <summary>
/// Body of <c>POST ops/resync</c>: <c>since</c> as in <see cref="OpsJson.TryParseTime"/> for a new re-sync, or <c>resume</c>
/// (the <see cref="ResyncResult.Resume"/> of a slice that stopped early) to go on with its plan.
/// </summary>
public sealed record ResyncCommand(string? Since, bool DryRun = false, double? MessagesPerSecond = null, int? MaxMessages = null, string? Resume = null)
{
    /// <summary>The core request, or the first problem naming its parameter (<see cref="OpsLimits"/>).</summary>
    public ResyncRequest? ToRequest(DateTimeOffset now, string actor, TimeSpan? budget, out string? problem)
    {
        DateTimeOffset? since = null;
        ResyncPlanPosition? position = null;
        problem = (Since, Resume) switch
        {
            (null, null) => "since is required: an ISO 8601 time or a duration such as 2h (or resume, to go on with a re-sync that stopped early)",
            (not null, not null) => "since and resume: give one (a resume carries the since of its re-sync)",
            (null, { } resume) => ResyncPlanPosition.TryParse(resume, out position) ?? (position!.DryRun && !DryRun
                ? "resume: the position of a dry run, which sent nothing; a re-sync that sends starts with since" : null),
            ({ } from, null) => OpsLimits.Time("since", from, now, out since),
        } ?? OpsLimits.Rate(MessagesPerSecond) ?? OpsLimits.Max(MaxMessages);
        return problem is null && (since ?? position?.Since) is { } start
            ? new ResyncRequest(start, DryRun, actor, MessagesPerSecond, MaxMessages, budget, position)
            : null;
    }
}

/// <summary>
/// Filter and options of <c>POST ops/deadletters/redrive</c> (times as in <see cref="OpsJson.TryParseTime"/>);
/// <paramref name="Pass"/> is the one a previous slice of the same command answered with (none: a new pass).
/// </summary>
public sealed record RedriveCommand(
    IReadOnlyList<string>? Fingerprints = null,
    IReadOnlyList<string>? Reasons = null,
    IReadOnlyList<string>? MessageIds = null,
    string? Since = null,
    string? Until = null,
    bool DryRun = false,
    double? MessagesPerSecond = null,
    int? MaxMessages = null,
    RedrivePass? Pass = null)
{
    /// <summary>The core filter, or the first problem naming its parameter (<see cref="OpsLimits"/>): times, filters, rate, maximum.</summary>
    public DeadLetterFilter? ToFilter(DateTimeOffset now, out string? problem)
    {
        DateTimeOffset? to = null;
        problem = OpsLimits.Time("since", Since, now, out var from) ?? OpsLimits.Time("until", Until, now, out to)
            ?? OpsLimits.Filter("fingerprint", Fingerprints) ?? OpsLimits.Filter("reason", Reasons) ?? OpsLimits.Filter("id", MessageIds)
            ?? OpsLimits.Rate(MessagesPerSecond) ?? OpsLimits.Max(MaxMessages);
        return problem is null
            ? new DeadLetterFilter { Fingerprints = Fingerprints ?? [], Reasons = Reasons ?? [], MessageIds = MessageIds ?? [], From = from, To = to }
            : null;
    }
}
