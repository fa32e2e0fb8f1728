using Integration.DeadLetters;

namespace Integration.Operations;

/// <summary>
/// Body of <c>POST ops/deadletters/discard</c>: the redrive's filter (times as in <see cref="OpsJson.TryParseTime"/>),
/// a dry run, the most to discard, and why (kept with each archived message).
/// </summary>
public sealed record DiscardCommand(
    IReadOnlyList<string>? Fingerprints = null,
    IReadOnlyList<string>? Reasons = null,
    IReadOnlyList<string>? MessageIds = null,
    string? Since = null,
    string? Until = null,
    bool DryRun = false,
    int? MaxMessages = null,
    string? Note = null)
{
    /// <summary>Longest note kept.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>The core filter, or the problem with a parameter.</summary>
    public DeadLetterFilter? ToFilter(DateTimeOffset now, out string? problem)
    {
        if (MaxMessages is < 1)
        {
            problem = $"maxMessages: {MaxMessages} is not a positive count";
            return null;
        }

        if (Note is { Length: > MaxNoteLength })
        {
            problem = $"note: longer than {MaxNoteLength} characters";
            return null;
        }

        return new RedriveCommand(Fingerprints, Reasons, MessageIds, Since, Until).ToFilter(now, out problem);
    }
}
