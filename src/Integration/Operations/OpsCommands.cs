using Integration.DeadLetters;

namespace Integration.Operations;

/// <summary>Body of <c>POST ops/imports/reimport</c>.</summary>
public sealed record ReimportCommand(string Blob);

/// <summary>
/// Body of <c>POST ops/imports/resolve</c>: settles an import held for a lost answer. <paramref name="Arrived"/> is what
/// the operator found in Dragonfruit, and is required: a missing value must never default to sending the part again.
/// </summary>
public sealed record ResolveImportCommand(string Blob, bool? Arrived);

/// <summary>Body of <c>POST ops/resync</c>: <c>since</c> as in <see cref="OpsJson.TryParseTime"/>.</summary>
public sealed record ResyncCommand(string Since, bool DryRun = false, double? MessagesPerSecond = null, int? MaxMessages = null);

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
    /// <summary>The core filter, or the problem with a time given.</summary>
    public DeadLetterFilter? ToFilter(DateTimeOffset now, out string? problem)
    {
        problem = null;
        DateTimeOffset? from = null, to = null;
        if (Since is not null)
        {
            if (!OpsJson.TryParseTime(Since, now, out var parsed))
            {
                problem = $"since: '{Since}' is neither an ISO 8601 time nor a duration such as 2h";
                return null;
            }

            from = parsed;
        }

        if (Until is not null)
        {
            if (!OpsJson.TryParseTime(Until, now, out var parsed))
            {
                problem = $"until: '{Until}' is neither an ISO 8601 time nor a duration such as 2h";
                return null;
            }

            to = parsed;
        }

        return new DeadLetterFilter { Fingerprints = Fingerprints ?? [], Reasons = Reasons ?? [], MessageIds = MessageIds ?? [], From = from, To = to };
    }
}
