using Integration.DeadLetters;

namespace Integration.Operations.DeadLetters;

/// <summary>Where a redrive is, counted over the dead-letters looked at so far.</summary>
/// <param name="Received">Dead-letters looked at.</param>
/// <param name="Matched">Those the filter takes (loop-guarded ones included).</param>
/// <param name="Moved">Sent back and removed from the dead-letters (in a dry run: that would be).</param>
/// <param name="Skipped">Those the filter does not take; left in place.</param>
/// <param name="LoopGuarded">Taken by the filter but redriven too often already; left in place.</param>
/// <param name="Failed">Taken, but sending the copy or removing the dead-letter failed (the run stops there).</param>
/// <param name="LeftForNextPass">Dead-lettered after the pass started (e.g. its own copies failing again); left in place, untouched.</param>
public sealed record RedriveProgress(int Received, int Matched, int Moved, int Skipped, int LoopGuarded, int Failed, int LeftForNextPass = 0);

/// <summary>What a redrive did.</summary>
/// <param name="Counts">The final <see cref="RedriveProgress"/>.</param>
/// <param name="MovedMessageIds">Ids of the moved messages (the first <see cref="DeadLetterRedrive.MaxIdsReported"/>).</param>
/// <param name="LoopGuardedMessageIds">Ids of the loop-guarded messages (the first <see cref="DeadLetterRedrive.MaxIdsReported"/>).</param>
/// <param name="ReachedMaximum">It stopped at the maximum count; more may match.</param>
/// <param name="Error">Why it stopped early, when something failed.</param>
public sealed record RedriveResult(
    bool DryRun,
    RedriveProgress Counts,
    IReadOnlyList<string> MovedMessageIds,
    IReadOnlyList<string> LoopGuardedMessageIds,
    bool Cancelled,
    bool ReachedMaximum,
    string? Error)
{
    /// <summary>The pass (id and cut-off) this run worked in; a later slice of the same command sends it back.</summary>
    public RedrivePass? Pass { get; init; }

    /// <summary><c>completed</c>, <c>cancelled</c> or <c>failed: …</c>, as the audit row has it.</summary>
    public string Outcome => Error is not null ? $"failed: {Error}" : Cancelled ? "cancelled" : "completed";
}
