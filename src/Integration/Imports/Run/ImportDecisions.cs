namespace Integration.Imports;

/// <summary>
/// The import's decisions, as pure functions of what came back, how far the import got and the settings: no storage,
/// no HTTP. <see cref="ImportRun"/> carries them out.
/// </summary>
public static class ImportDecisions
{
    /// <summary>What to do after an upload's answer (or its absence).</summary>
    public static NextStep AfterAnswer(UploadAnswer answer, ImportProgress progress, ImportPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(policy);
        if (answer.RejectedWhileUploading)
        {
            return new NextStep.Reject();
        }

        if (answer.AnswerLost)
        {
            return policy.WhenAnswerLost == LostAnswerPolicy.Resend && progress.ResendsOfThisUpload < policy.MaxResends && progress.Uploads < policy.MaxUploadsPerFile
                ? new NextStep.SendAgain()
                : policy.WhenAnswerLost == LostAnswerPolicy.Resend ? RetryLater(progress, policy) : new NextStep.Hold();
        }

        if (answer.Status == 413)
        {
            return TooLarge(answer, progress, policy);
        }

        if (answer.Transient)
        {
            return RetryLater(progress, policy);
        }

        return answer.Success ? new NextStep.Accept() : new NextStep.Fail(answer.Status is { } status and not 200 ? $"Http{status}" : "NoSuccess");
    }

    /// <summary>
    /// The size limit for the parts of a file refused as too large: half the refused upload, never above
    /// <see cref="ImportsOptions.MaxPartBytes"/>. Each 413 at least halves it, so a file meets at most
    /// log2(first upload / (header + largest record)) + 1 of them before it is sent or found to hold a record too large.
    /// </summary>
    public static long SplitLimit(long refusedBytes, long maxPartBytes) => Math.Max(1, Math.Min(maxPartBytes, refusedBytes / 2));

    /// <summary>
    /// How to send a file of <paramref name="bytes"/> given what Dragonfruit showed of its limit: whole (null), or in parts
    /// of at most the returned size. A file no larger than an accepted upload goes whole; one at least as large as a
    /// refused upload is split up front, in parts of the largest accepted upload or half the smallest refused one,
    /// whichever is larger (never above <see cref="ImportsOptions.MaxPartBytes"/>).
    /// </summary>
    public static long? PlanLimit(long bytes, SizeLimit known, long maxPartBytes)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (known.SmallestRefused is not { } refused || bytes <= known.LargestAccepted || bytes < refused)
        {
            return null;
        }

        return Math.Min(maxPartBytes, Math.Max(known.LargestAccepted ?? 0, SplitLimit(refused, maxPartBytes)));
    }

    private static NextStep TooLarge(UploadAnswer answer, ImportProgress progress, ImportPolicy policy)
    {
        if (answer.Rows == 1)
        {
            return new NextStep.RecordTooLarge();
        }

        return progress.Uploads >= policy.MaxUploadsPerFile
            ? new NextStep.Fail("TooManyUploads")
            : new NextStep.Split(SplitLimit(answer.Bytes, policy.MaxPartBytes));
    }

    private static NextStep RetryLater(ImportProgress progress, ImportPolicy policy) =>
        progress.Attempt >= policy.MaxAttempts ? new NextStep.Poisoned() : new NextStep.RetryLater();
}
