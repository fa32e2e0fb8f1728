namespace Integration.Imports;

/// <summary>How one upload ended, as the run sees it: what came back and what it carried.</summary>
/// <param name="Bytes">CSV bytes sent (header included).</param>
/// <param name="Rows">Data rows in it (0 when not known yet: a large file checked while it uploads).</param>
/// <param name="Status">The HTTP status of the final answer (after the client's retries), or null without one.</param>
/// <param name="AnswerLost">The whole body went out and no answer came back: Dragonfruit may have imported it.</param>
/// <param name="Transient">Dragonfruit stayed unavailable past the retry budget (429, 5xx, timeouts, no connection).</param>
/// <param name="Success">A 200 whose body says <c>success: true</c>.</param>
/// <param name="RejectedWhileUploading">The file failed its checks while uploading: the body was never completed.</param>
public sealed record UploadAnswer(long Bytes, long Rows, int? Status, bool AnswerLost, bool Transient, bool Success, bool RejectedWhileUploading);

/// <summary>Where the import stands when an answer comes: what has been tried so far and what the settings allow.</summary>
/// <param name="Uploads">Uploads of this file so far in this run, the one just answered included.</param>
/// <param name="ResendsOfThisUpload">How often this upload was sent again after a lost answer (<see cref="LostAnswerPolicy.Resend"/>).</param>
/// <param name="Attempt">This run's number among the runs of this blob version (the ledger counts them).</param>
public sealed record ImportProgress(int Uploads, int ResendsOfThisUpload, int Attempt);

/// <summary>The settings the decisions read.</summary>
public sealed record ImportPolicy(LostAnswerPolicy WhenAnswerLost, long MaxPartBytes, int MaxUploadsPerFile, int MaxAttempts, int MaxResends)
{
    public static ImportPolicy From(ImportsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.WhenAnswerLost, options.MaxPartBytes, options.MaxUploadsPerFile, options.MaxAttempts, options.MaxRetryAttempts);
    }
}

/// <summary>What the run does next with an upload Dragonfruit answered (or did not).</summary>
public abstract record NextStep
{
    private NextStep()
    {
    }

    /// <summary>Accepted: record it and go on with the next part.</summary>
    public sealed record Accept : NextStep;

    /// <summary>Refused as too large: send the rest in parts of at most <paramref name="Limit"/> bytes.</summary>
    public sealed record Split(long Limit) : NextStep;

    /// <summary>Refused as too large, and it is one record: it can never be sent.</summary>
    public sealed record RecordTooLarge : NextStep;

    /// <summary>The answer was lost: send nothing more until an operator says whether it arrived.</summary>
    public sealed record Hold : NextStep;

    /// <summary>The answer was lost: send the same upload again (<see cref="LostAnswerPolicy.Resend"/>).</summary>
    public sealed record SendAgain : NextStep;

    /// <summary>Dragonfruit stayed unavailable: end this run so the trigger runs it again later.</summary>
    public sealed record RetryLater : NextStep;

    /// <summary>Dragonfruit stayed unavailable for the last allowed run: report it poisoned, no more automatic tries.</summary>
    public sealed record Poisoned : NextStep;

    /// <summary>Refused for good (<paramref name="Code"/>): report it failed.</summary>
    public sealed record Fail(string Code) : NextStep;

    /// <summary>The file failed its checks while uploading: report it rejected.</summary>
    public sealed record Reject : NextStep;
}
