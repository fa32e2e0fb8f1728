namespace Integration.Operations.DeadLetters.Archive;

/// <summary>
/// Sends archived dead-letters back to the task queue through the redrive path (<see cref="DeadLetterRedrive"/> over
/// <see cref="ArchivedDeadLetterQueue"/>): the same velocity, maximum, loop guard, pass and audit; each restored entry
/// leaves the archive.
/// </summary>
public sealed class ArchiveRestore(DeadLetterArchive archive, DeadLetterRedrive redrive)
{
    public const string AuditOperation = "deadletters.archived.restore";

    public Task<RedriveResult> RunAsync(RedriveRequest request, IProgress<RedriveProgress>? progress, CancellationToken cancellationToken) =>
        redrive.RunAsync(new ArchivedDeadLetterQueue(archive), AuditOperation, request, progress, cancellationToken);
}
