using Integration.DeadLetters;
using Integration.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Operations;

/// <summary>
/// Re-sync since a time: the latest accepted upsert of each task in the request log goes back through the task queue,
/// marked <c>Trigger = resync</c>, so the same rate-limited, stale-guarded handler sends it (the version already
/// applied passes the guard for a re-sync; an older one never does).
/// </summary>
public sealed class TaskResync(
    RequestLog requests,
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
        var audited = await audit.StartAsync(request.Actor, "resync", request.DryRun, new { request.Since, request.MessagesPerSecond, request.MaxMessages }, cancellationToken);
        var read = 0;
        var latest = new Dictionary<string, RequestLogEntity>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in requests.SinceAsync(request.Since, cancellationToken))
        {
            read++;
            // A re-sync's own upserts are copies of what is already counted: leaving them out keeps a resumed re-sync
            // from sending the same tasks again.
            if (row.Status is >= 200 and < 300 && row.TaskUid.Length > 0 && row.Trigger != P.ResyncTrigger
                && (!latest.TryGetValue(row.TaskUid, out var seen) || row.At >= seen.At))
            {
                latest[row.TaskUid] = row;
            }
        }

        var max = request.MaxMessages ?? options.Value.MaxMessages;
        var pacer = new Pacer(request.MessagesPerSecond ?? options.Value.MessagesPerSecond, time);
        var withoutBody = new List<string>();
        var sent = 0;
        var cancelled = false;
        DateTimeOffset? resume = null;
        var started = time.GetTimestamp();
        foreach (var row in latest.Values.OrderBy(r => r.At))
        {
            if (sent >= max || (request.TimeBudget is { } budget && time.GetElapsedTime(started) >= budget))
            {
                resume = row.At;
                break;
            }

            if (row.MessageBody is null)
            {
                withoutBody.Add(row.TaskUid);
                continue;
            }

            if (!request.DryRun)
            {
                try
                {
                    await pacer.WaitTurnAsync(cancellationToken);
                    await sender.SendAsync(
                        $"resync-{row.TaskUid}-{time.GetUtcNow().UtcTicks}",
                        BinaryData.FromString(row.MessageBody),
                        new Dictionary<string, object> { [P.Trigger] = P.ResyncTrigger, [P.TaskUid] = row.TaskUid },
                        cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    (cancelled, resume) = (true, row.At);
                    break;
                }

                logger.LogInformation("Re-sync: task {TaskUid} {Version} queued again", row.TaskUid, row.Version);
            }

            sent++;
            progress?.Report(new ResyncProgress(latest.Count, sent));
        }

        var result = new ResyncResult(request.Since, request.DryRun, read, latest.Count, sent, withoutBody, cancelled, resume);
        await audit.CompleteAsync(
            audited,
            new { result.AttemptsRead, result.Tasks, result.Sent, WithoutBody = withoutBody.Count, result.ResumeSince },
            cancelled ? "cancelled" : "completed",
            CancellationToken.None);
        logger.LogInformation(
            "Re-sync since {Since}: {Tasks} tasks, {Sent} {Verb}, {WithoutBody} without a kept message",
            request.Since, result.Tasks, sent, request.DryRun ? "would be sent (dry run)" : "sent", withoutBody.Count);
        return result;
    }
}
