using Integration.DeadLetters;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Operations.DeadLetters;

/// <summary>
/// Redrive as a job: takes the dead-lettered task messages one at a time; those the filter takes go back to the task
/// queue (same MessageId and body, without the failure diagnostics, <c>Trigger = redrive</c> and the redrive counter
/// plus one), at most <see cref="RedriveRequest.MessagesPerSecond"/> and <see cref="RedriveRequest.MaxMessages"/>;
/// those redriven <see cref="OperationsOptions.MaxRedrives"/> times already stay and are reported (loop guard).
/// The copy is sent, then the dead-letter completed: a crash between the two leaves a duplicate at worst, which the
/// task handler's stale guard completes without a call. Cancellation stops between messages. Every run is audited.
/// A run takes only the dead-letters that were there when its pass started (<see cref="RedrivePass"/>): a copy that
/// fails again while it runs is left for the next command, so one command sends each message at most once.
/// </summary>
public sealed class DeadLetterRedrive(
    IDeadLetterQueue deadLetters,
    ITaskQueueSender sender,
    OpsAudit audit,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<DeadLetterRedrive> logger)
{
    public const string AuditOperation = "deadletters.redrive";

    /// <summary>Most message ids a result lists per kind (the counts are complete).</summary>
    public const int MaxIdsReported = 1000;

    public Task<RedriveResult> RunAsync(RedriveRequest request, IProgress<RedriveProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(deadLetters, AuditOperation, request, progress, cancellationToken);

    /// <summary>
    /// The same job over another source of dead-letters (the archive, for a restore), audited as <paramref name="auditOperation"/>:
    /// same velocity, maximum, loop guard and pass.
    /// </summary>
    public async Task<RedriveResult> RunAsync(
        IDeadLetterQueue source, string auditOperation, RedriveRequest request, IProgress<RedriveProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Filter);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Actor);
        var settings = options.Value;
        var perSecond = request.MessagesPerSecond ?? settings.MessagesPerSecond;
        var max = request.MaxMessages ?? settings.MaxMessages;
        if (!(perSecond is >= 0.001 and <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(request), perSecond, "MessagesPerSecond must be between 0.001 and 1000.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(request));
        using var scope = logger.BeginScope("Redrive by {Actor}", request.Actor);
        logger.LogInformation(
            "Redrive started by {Actor}: dry run {DryRun}, at most {MaxMessages} messages at {MessagesPerSecond}/s, loop guard at {MaxRedrives} redrives",
            request.Actor, request.DryRun, max, perSecond, settings.MaxRedrives);

        var filter = request.Filter;
        var pass = request.Pass ?? RedrivePass.Start(time);
        var audited = await audit.StartAsync(
            request.Actor,
            auditOperation,
            request.DryRun,
            new { filter.Fingerprints, filter.Reasons, filter.MessageIds, filter.From, filter.To, MessagesPerSecond = perSecond, MaxMessages = max, Pass = pass.Id, pass.CutOff },
            cancellationToken);
        var run = new Run(request, pass, settings.MaxRedrives, new Pacer(perSecond, time));
        try
        {
            await using var messages = source.ReceiveAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (run.Error is null)
            {
                if (run.Moved >= max)
                {
                    run.ReachedMaximum = true;
                    break;
                }

                // The next send's turn is waited for before a message is locked, so no lock is held while waiting.
                await run.Pacer.WaitAsync(cancellationToken);

                if (!await messages.MoveNextAsync())
                {
                    break;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    await messages.Current.ReleaseAsync(CancellationToken.None);
                    run.Cancelled = true;
                    break;
                }

                await HandleAsync(run, messages.Current);
                progress?.Report(run.Progress);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Cancelled = true;
        }
        catch (Exception e) when (run.Error is null)
        {
            // Receiving or releasing failed: the run ends as failed, and is audited as such.
            run.Error = e.Message;
            logger.LogError(e, "Redrive: reading the dead-letters failed; the redrive stops");
        }

        var result = new RedriveResult(request.DryRun, run.Progress, run.MovedIds, run.LoopGuardedIds, run.Cancelled, run.ReachedMaximum, run.Error) { Pass = pass };
        await audit.CompleteAsync(
            audited,
            new { result.Counts.Received, result.Counts.Matched, result.Counts.Moved, result.Counts.Skipped, result.Counts.LoopGuarded, result.Counts.Failed, result.Counts.LeftForNextPass, result.ReachedMaximum },
            result.Outcome,
            CancellationToken.None);
        logger.LogInformation(
            "Redrive {Outcome}: {Moved} of {Matched} matching messages {Verb}, {LoopGuarded} kept by the loop guard, {Skipped} not matching, {Failed} failed, {LeftForNextPass} dead-lettered after the pass started left for the next one",
            result.Outcome, run.Moved, run.Matched, request.DryRun ? "would move (dry run)" : "moved", run.LoopGuarded, run.Skipped, run.Failed, run.LeftForNextPass);
        return result;
    }

    private async Task HandleAsync(Run run, ILockedDeadLetter locked)
    {
        var message = locked.Message;
        run.Received++;
        if (!run.Pass.WasThereAtStart(message))
        {
            // Its own copy failing again, or dead-lettered meanwhile: the next command's, never this pass's.
            run.LeftForNextPass++;
            logger.LogInformation(
                "Redrive: message {MessageId} was dead-lettered after pass {Pass} started (enqueued {EnqueuedAt}, cut-off {CutOff}); left for the next command",
                message.MessageId, run.Pass.Id, message.EnqueuedAt, run.Pass.CutOff);
            await locked.ReleaseAsync(CancellationToken.None);
            return;
        }

        if (!run.Request.Filter.Matches(message))
        {
            run.Skipped++;
            await locked.ReleaseAsync(CancellationToken.None);
            return;
        }

        run.Matched++;
        if (message.RedriveCount >= run.MaxRedrives)
        {
            run.LoopGuarded++;
            Add(run.LoopGuardedIds, message.MessageId);
            logger.LogWarning(
                "Redrive: message {MessageId} ({Fingerprint}) was redriven {RedriveCount} times already (limit {MaxRedrives}); it stays dead-lettered",
                message.MessageId, message.Fingerprint.Key, message.RedriveCount, run.MaxRedrives);
            await locked.ReleaseAsync(CancellationToken.None);
            return;
        }

        if (run.Request.DryRun)
        {
            run.Moved++;
            Add(run.MovedIds, message.MessageId);
            await locked.ReleaseAsync(CancellationToken.None);
            return;
        }

        // Sending and completing run to the end once started: cancellation stops between messages, not within one.
        run.Pacer.Take();
        try
        {
            await sender.SendAsync(message.MessageId, message.Body, CopyProperties(message, run.Pass), CancellationToken.None);
        }
        catch (Exception e)
        {
            // Not released here: the enumeration releases what was neither completed nor released.
            run.Failed++;
            run.Error = $"sending message {message.MessageId} back failed: {e.Message}";
            logger.LogError(e, "Redrive: sending message {MessageId} back to the task queue failed; it stays dead-lettered and the redrive stops", message.MessageId);
            return;
        }

        try
        {
            await locked.CompleteAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            run.Failed++;
            run.Error = $"message {message.MessageId} was sent back but could not be removed from the dead-letters: {e.Message}";
            logger.LogError(
                e,
                "Redrive: message {MessageId} was sent back but stays dead-lettered too; the redrive stops (redriving it again sends a duplicate, which the stale guard completes without a call)",
                message.MessageId);
            return;
        }

        run.Moved++;
        Add(run.MovedIds, message.MessageId);
        logger.LogInformation(
            "Redrive: message {MessageId} ({Fingerprint}) sent back to the task queue, redrive {RedriveCount}",
            message.MessageId, message.Fingerprint.Key, message.RedriveCount + 1);
    }

    /// <summary>The original properties without the failure diagnostics, marked as a redrive of this pass and counted.</summary>
    private static Dictionary<string, object> CopyProperties(DeadLetteredMessage message, RedrivePass pass)
    {
        var properties = message.Properties
            .Where(p => !DeadLetterProperties.DroppedOnRedrive.Contains(p.Key))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        properties[P.Trigger] = P.RedriveTrigger;
        properties[DeadLetterProperties.RedriveCount] = message.RedriveCount + 1;
        properties[DeadLetterProperties.RedrivePass] = pass.Id;
        return properties;
    }

    private static void Add(List<string> ids, string id)
    {
        if (ids.Count < MaxIdsReported)
        {
            ids.Add(id);
        }
    }

    /// <summary>One run's state.</summary>
    private sealed class Run(RedriveRequest request, RedrivePass pass, int maxRedrives, Pacer pacer)
    {
        public RedriveRequest Request { get; } = request;
        public RedrivePass Pass { get; } = pass;
        public int MaxRedrives { get; } = maxRedrives;
        public Pacer Pacer { get; } = pacer;
        public int Received { get; set; }
        public int Matched { get; set; }
        public int Moved { get; set; }
        public int Skipped { get; set; }
        public int LoopGuarded { get; set; }
        public int Failed { get; set; }
        public int LeftForNextPass { get; set; }
        public List<string> MovedIds { get; } = [];
        public List<string> LoopGuardedIds { get; } = [];
        public bool Cancelled { get; set; }
        public bool ReachedMaximum { get; set; }
        public string? Error { get; set; }

        public RedriveProgress Progress => new(Received, Matched, Moved, Skipped, LoopGuarded, Failed, LeftForNextPass);
    }
}
