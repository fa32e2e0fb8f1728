namespace Integration.Imports;

/// <summary>
/// Where an import stands: the one vocabulary of the ledger's import rows, the reports, the outcomes and the operators'
/// filters. Final statuses are never sent again (a re-import forgets them on purpose).
/// </summary>
public static class ImportStatus
{
    /// <summary>A run holds the claim and is working on it (or died holding it: the claim then expires).</summary>
    public const string InProgress = "in_progress";

    /// <summary>Dragonfruit stayed unavailable; the trigger runs it again (until <see cref="ImportsOptions.MaxAttempts"/>).</summary>
    public const string Retrying = "retrying";

    public const string Succeeded = "succeeded";
    public const string SucceededWithRowErrors = "succeeded_with_row_errors";

    /// <summary>Never sent: the file broke the drop contract or the CSV checks.</summary>
    public const string Rejected = "rejected";

    /// <summary>Dragonfruit refused it for good (a 4xx, an answer without success, a record too large).</summary>
    public const string Failed = "failed";

    /// <summary>A part's body reached Dragonfruit in full but its answer was lost: held for an operator.</summary>
    public const string Unknown = "outcome_unknown";

    /// <summary>Dragonfruit stayed unavailable for <see cref="ImportsOptions.MaxAttempts"/> runs: no more automatic tries.</summary>
    public const string Poisoned = "poisoned";

    /// <summary>The blob was deleted before its run (an outcome only: nothing is stored for it).</summary>
    public const string Gone = "gone";

    /// <summary>Statuses an operator looks at first.</summary>
    public static readonly IReadOnlyList<string> NeedAttention = [Unknown, Poisoned, Failed, Rejected, Retrying, SucceededWithRowErrors];

    public static bool IsFinal(string? status) =>
        status is Succeeded or SucceededWithRowErrors or Rejected or Failed or Unknown or Poisoned;

    public static bool IsSuccess(string? status) => status is Succeeded or SucceededWithRowErrors;
}

/// <summary>Where one upload (the whole file, or one part of a split) stands, in its ledger part row.</summary>
public static class PartStatus
{
    /// <summary>The body's end went out: from then on Dragonfruit may hold all of it. Left so when the answer was lost.</summary>
    public const string AwaitingAnswer = "awaiting_answer";

    /// <summary>An answer that is not a success came back: certainly not imported.</summary>
    public const string Answered = "answered";

    /// <summary>Dragonfruit accepted it (200 with success).</summary>
    public const string Sent = "sent";

    /// <summary>An operator found Dragonfruit never got it: send it again.</summary>
    public const string Lost = "lost";
}
