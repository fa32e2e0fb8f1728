using Integration.DeadLetters;
using Integration.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Operations;

/// <summary>
/// Re-sync since a time: the latest accepted upsert of each task in the request log goes back through the task queue,
/// marked <c>Trigger = resync</c>, so the same rate-limited, stale-guarded handler sends it (the version already
/// applied passes the guard for a re-sync; an older one never does). The request log is scanned once per re-sync: a
/// slice that stops early (maximum, time budget, cancellation) stores its plan (<see cref="ResyncPlanStore"/>) and
/// answers a <c>resume</c> position; the next slice reads the plan and the rows it names, not the log again.
/// </summary>
public sealed class TaskResync(
    RequestLog requests,
    ResyncPlanStore plans,
    ITaskQueueSender sender,
    OpsAudit audit,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<TaskResync> logger)
{
    public async Task<ResyncResult> RunAsync(ResyncRequest request, IProgress<ResyncProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = logger.BeginScope("Re-sync since {Since} by {Actor}", request.Since, request.Actor);
        var audited = await audit.StartAsync(
            request.Actor, "resync", request.DryRun, new { request.Since, request.MessagesPerSecond, request.MaxMessages, Resume = request.Resume?.Encode() }, cancellationToken);
        var (read, plan) = request.Resume is null ? await ScanAsync(request.Since, cancellationToken) : (0, null);
        var done = request.Resume?.Offset ?? 0;
        var total = request.Resume?.Total ?? plan!.Count;
        var rows = plan is null ? PlannedRowsAsync(request.Resume!, cancellationToken) : plan.ToAsyncEnumerable();

        var max = request.MaxMessages ?? options.Value.MaxMessages;
        var pacer = new Pacer(request.MessagesPerSecond ?? options.Value.MessagesPerSecond, time);
        var withoutBody = new List<string>();
        var (sent, cancelled, stoppedAt) = (0, false, (int?)null);
        DateTimeOffset? resumeSince = null;
        var started = time.GetTimestamp();
        var at = done;
        await foreach (var (entry, row) in rows)
        {
            if (sent >= max || (request.TimeBudget is { } budget && time.GetElapsedTime(started) >= budget))
            {
                (stoppedAt, resumeSince) = (at, row?.At);
                break;
            }

            if (row?.MessageBody is null)
            {
                withoutBody.Add(entry.TaskUid); // too large to keep in the log, or its row is gone since the plan was made
            }
            else if (!request.DryRun && !await SendAsync(row, pacer, cancellationToken))
            {
                (cancelled, stoppedAt, resumeSince) = (true, at, row.At);
                break;
            }
            else
            {
                sent++;
                progress?.Report(new ResyncProgress(total, done + sent));
            }

            at++;
        }

        var resume = stoppedAt is not { } stop ? null
            : request.Resume is { } position ? position with { Offset = stop }
            : await plans.SaveAsync(audited, plan!.Select(p => p.Entry).ToList(), stop, request.Since, request.DryRun, CancellationToken.None);
        var result = new ResyncResult(request.Since, request.DryRun, read, total, sent, withoutBody, cancelled, resumeSince, resume?.Encode());
        await audit.CompleteAsync(
            audited,
            new { result.AttemptsRead, result.Tasks, result.Sent, WithoutBody = withoutBody.Count, result.ResumeSince, Resume = resume is null ? null : $"{resume.Offset}/{resume.Total}" },
            cancelled ? "cancelled" : "completed",
            CancellationToken.None);
        logger.LogInformation(
            "Re-sync since {Since}: {Tasks} tasks, {Sent} {Verb}, {WithoutBody} without a kept message, {Left} left",
            request.Since, total, sent, request.DryRun ? "would be sent (dry run)" : "sent", withoutBody.Count, resume is null ? 0 : resume.Total - resume.Offset);
        return result;
    }

    /// <summary>The one read of the request log: the latest accepted upsert of each task, oldest first.</summary>
    private async Task<(int Read, List<(ResyncPlanEntry Entry, RequestLogEntity? Row)> Plan)> ScanAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var read = 0;
        var latest = new Dictionary<string, RequestLogEntity>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in requests.SinceAsync(since, cancellationToken))
        {
            read++;
            // A re-sync's own upserts are copies of what is already counted: leaving them out keeps a second re-sync
            // from sending the same tasks again.
            if (row.Status is >= 200 and < 300 && row.TaskUid.Length > 0 && row.Trigger != P.ResyncTrigger
                && (!latest.TryGetValue(row.TaskUid, out var seen) || row.At >= seen.At))
            {
                latest[row.TaskUid] = row;
            }
        }

        return (read, latest.Values.OrderBy(r => r.At).Select(r => (new ResyncPlanEntry(r.TaskUid, r.PartitionKey, r.RowKey), (RequestLogEntity?)r)).ToList());
    }

    /// <summary>A stored plan from its position on, each entry with its request-log row read by its keys.</summary>
    private async IAsyncEnumerable<(ResyncPlanEntry Entry, RequestLogEntity? Row)> PlannedRowsAsync(
        ResyncPlanPosition position, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in plans.ReadAsync(position, cancellationToken))
        {
            yield return (entry, await requests.GetAsync(entry.PartitionKey, entry.RowKey, cancellationToken));
        }
    }

    /// <returns>False when cancelled before the message went.</returns>
    private async Task<bool> SendAsync(RequestLogEntity row, Pacer pacer, CancellationToken cancellationToken)
    {
        try
        {
            await pacer.WaitTurnAsync(cancellationToken);
            await sender.SendAsync(
                $"resync-{row.TaskUid}-{time.GetUtcNow().UtcTicks}",
                BinaryData.FromString(row.MessageBody!),
                new Dictionary<string, object> { [P.Trigger] = P.ResyncTrigger, [P.TaskUid] = row.TaskUid },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        logger.LogInformation("Re-sync: task {TaskUid} {Version} queued again", row.TaskUid, row.Version);
        return true;
    }
}
