using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Tasks;

/// <summary>
/// Batch mode: each message is parsed and its task claimed as <see cref="TaskHandler"/> does (invalid, stale and busy
/// ones settled at once), then the claimed tasks go in <c>PUT /tasks/batch</c> requests of at most
/// <see cref="TasksOptions.BatchSize"/>, each one request of the shared budget. A batch's answer settles every message
/// in it (success, or a delayed retry for a transient failure). Fragment's partial-failure behaviour is unknown, so a
/// batch-level 4xx sends the batch's tasks one by one to find the bad ones: one bad task never dead-letters its neighbours.
/// </summary>
public sealed class TaskBatchHandler(TaskHandler one, FragmentTaskClient client, IOptions<TasksOptions> options, TimeProvider time, ILogger<TaskBatchHandler> logger) : ITaskBatchHandler
{
    public async Task HandleAsync(IReadOnlyList<(IncomingTask Message, ITaskSettlement Settlement)> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var claimed = new List<TaskHandler.ClaimedTask>();
        try
        {
            foreach (var (message, settlement) in batch)
            {
                if (await one.PrepareAsync(message, settlement, cancellationToken) is { } task)
                {
                    claimed.Add(task);
                }
            }

            // Every claim of the batch is renewed while any of its sends waits (the one-by-one fallback can take long).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewing = TaskClaimLease.RenewLoopAsync([.. claimed.Select(t => t.Lease)], one.RenewEvery, time, stop.Token);
            try
            {
                await SendAsync(claimed, cancellationToken);
            }
            finally
            {
                await stop.CancelAsync();
                await renewing;
            }
        }
        finally
        {
            foreach (var task in claimed)
            {
                await task.Lease.DisposeAsync(); // released unless recorded or given back
            }
        }
    }

    private async Task SendAsync(List<TaskHandler.ClaimedTask> claimed, CancellationToken cancellationToken)
    {
        foreach (var all in claimed.Chunk(options.Value.BatchSize))
        {
            // A batch never sends a task whose claim expired: another handler may be sending a newer version of it.
            var chunk = all.Where(t => t.Lease.IsHeld).ToArray();
            foreach (var expired in all.Except(chunk))
            {
                await one.DelayExpiredAsync(expired, cancellationToken);
            }

            if (chunk.Length == 0)
            {
                continue;
            }

            if (chunk.Length == 1)
            {
                await one.SendAsync(chunk[0], cancellationToken);
                continue;
            }

            var started = time.GetTimestamp();
            var answer = await client.PutBatchAsync(
                [.. chunk.Select(t => (t.Task.Uid, t.Task.ToFragmentBody()))],
                [.. chunk.Select(t => t.Context)],
                cancellationToken);
            logger.LogInformation(
                "PUT batch of {Count} tasks: {Status} (request id {PartnerRequestId}) after {Duration}",
                chunk.Length, answer.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? answer.TransportFailure ?? "no slot", answer.RequestId, time.GetElapsedTime(started));
            if (TaskSettlementRules.BatchNeedsOneByOne(answer))
            {
                logger.LogWarning(
                    "Fragment refused a batch of {Count} tasks with HTTP {Status}; sending them one by one to find the bad ones",
                    chunk.Length, answer.Status);
                foreach (var task in chunk)
                {
                    await one.SendAsync(task, cancellationToken);
                }

                continue;
            }

            foreach (var task in chunk)
            {
                await one.SettleAsync(task, answer, started, cancellationToken);
            }
        }
    }
}
