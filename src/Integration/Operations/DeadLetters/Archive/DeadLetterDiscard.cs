using Integration.DeadLetters;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Operations.DeadLetters.Archive;

/// <summary>Discard dead-letters that must never be sent again: each is archived first, then completed.</summary>
/// <param name="Note">Why, kept with each archived message.</param>
public sealed record DiscardRequest(DeadLetterFilter Filter, bool DryRun, string Actor, int? MaxMessages = null, string? Note = null);

/// <summary>What a discard did.</summary>
/// <param name="Discarded">Archived and removed from the dead-letters (in a dry run: that would be).</param>
/// <param name="Skipped">Not taken by the filter; left in place.</param>
/// <param name="LeftForNextPass">Dead-lettered after the discard started; left in place.</param>
/// <param name="DiscardedMessageIds">The first <see cref="DeadLetterRedrive.MaxIdsReported"/>.</param>
public sealed record DiscardResult(
    bool DryRun,
    int Received,
    int Discarded,
    int Skipped,
    int LeftForNextPass,
    int Failed,
    IReadOnlyList<string> DiscardedMessageIds,
    bool Cancelled,
    bool ReachedMaximum,
    string? Error)
{
    public string Outcome => Error is not null ? $"failed: {Error}" : Cancelled ? "cancelled" : "completed";
}

/// <summary>
/// Discard as a job: takes the dead-letters there when it started, one at a time; each the filter takes is written to
/// the archive (<see cref="DeadLetterArchive"/>), then completed. Archiving fails: it stays dead-lettered and the run
/// stops. Completing fails after archiving: it is in both places (a second discard archives it twice; a restore of
/// either copy is harmless to the task, whose stale guard skips an old version). Every run is audited.
/// </summary>
public sealed class DeadLetterDiscard(
    IDeadLetterQueue deadLetters,
    DeadLetterArchive archive,
    OpsAudit audit,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<DeadLetterDiscard> logger)
{
    public const string AuditOperation = "deadletters.discard";

    public async Task<DiscardResult> RunAsync(DiscardRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Filter);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Actor);
        var max = request.MaxMessages ?? options.Value.MaxMessages;
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(request));
        var filter = request.Filter;
        var pass = RedrivePass.Start(time);
        using var scope = logger.BeginScope("Discard by {Actor}", request.Actor);
        var audited = await audit.StartAsync(
            request.Actor,
            AuditOperation,
            request.DryRun,
            new { filter.Fingerprints, filter.Reasons, filter.MessageIds, filter.From, filter.To, MaxMessages = max, request.Note, Pass = pass.Id, pass.CutOff, options.Value.ArchiveContainer },
            cancellationToken);
        int received = 0, discarded = 0, skipped = 0, later = 0, failed = 0;
        var ids = new List<string>();
        bool cancelled = false, reachedMaximum = false;
        string? error = null;
        try
        {
            await foreach (var locked in deadLetters.ReceiveAsync(cancellationToken))
            {
                var message = locked.Message;
                if (cancellationToken.IsCancellationRequested)
                {
                    await locked.ReleaseAsync(CancellationToken.None);
                    cancelled = true;
                    break;
                }

                received++;
                if (!pass.WasThereAtStart(message) || !filter.Matches(message))
                {
                    _ = pass.WasThereAtStart(message) ? skipped++ : later++;
                    await locked.ReleaseAsync(CancellationToken.None);
                    continue;
                }

                if (discarded >= max)
                {
                    reachedMaximum = true;
                    await locked.ReleaseAsync(CancellationToken.None);
                    break;
                }

                if (!request.DryRun)
                {
                    string blob;
                    try
                    {
                        blob = await archive.WriteAsync(ArchivedDeadLetter.Of(message, request.Actor, time.GetUtcNow(), request.Note), CancellationToken.None);
                    }
                    catch (Exception e)
                    {
                        failed++;
                        error = $"archiving message {message.MessageId} failed: {e.Message}";
                        logger.LogError(e, "Discard: archiving message {MessageId} failed; it stays dead-lettered and the discard stops", message.MessageId);
                        break;
                    }

                    try
                    {
                        await locked.CompleteAsync(CancellationToken.None);
                    }
                    catch (Exception e)
                    {
                        failed++;
                        error = $"message {message.MessageId} was archived ({blob}) but could not be removed from the dead-letters: {e.Message}";
                        logger.LogError(e, "Discard: message {MessageId} was archived as {Blob} but stays dead-lettered too; the discard stops", message.MessageId, blob);
                        break;
                    }

                    logger.LogInformation("Discard: message {MessageId} ({Fingerprint}) archived as {Blob} and removed from the dead-letters", message.MessageId, message.Fingerprint.Key, blob);
                }
                else
                {
                    await locked.ReleaseAsync(CancellationToken.None);
                }

                discarded++;
                if (ids.Count < DeadLetterRedrive.MaxIdsReported)
                {
                    ids.Add(message.MessageId);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (Exception e) when (error is null)
        {
            error = e.Message;
            logger.LogError(e, "Discard: reading the dead-letters failed; the discard stops");
        }

        var result = new DiscardResult(request.DryRun, received, discarded, skipped, later, failed, ids, cancelled, reachedMaximum, error);
        await audit.CompleteAsync(audited, new { result.Received, result.Discarded, result.Skipped, result.LeftForNextPass, result.Failed, result.ReachedMaximum }, result.Outcome, CancellationToken.None);
        logger.LogInformation(
            "Discard {Outcome}: {Discarded} {Verb}, {Skipped} not matching, {LeftForNextPass} dead-lettered after it started left in place, {Failed} failed",
            result.Outcome, discarded, request.DryRun ? "would be archived and removed (dry run)" : "archived and removed", skipped, later, failed);
        return result;
    }
}
