using Integration.Common;
using Integration.Tasks.Messages;
using Integration.Tasks.RateLimiting;
using Integration.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tasks;

/// <summary>
/// Upserts one task message into Fragment and settles it: stale versions completed without a call, transient
/// failures delayed (a scheduled copy, not a redelivery), what Fragment keeps refusing dead-lettered with a typed reason.
/// </summary>
public sealed class TaskHandler(
    FragmentTaskClient client,
    TaskVersionStore versions,
    FragmentTokenProvider fragmentTokens,
    IOptions<TasksOptions> options,
    KnownSecrets known,
    TaskMetrics metrics,
    UnrecordedVersions unrecorded,
    TimeProvider time,
    ILogger<TaskHandler> logger) : ITaskHandler
{
    public async Task HandleAsync(IncomingTask message, ITaskSettlement settlement, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope("Message {MessageId}", message.MessageId);
        if (await PrepareAsync(message, settlement, cancellationToken) is { } claimed)
        {
            await using var lease = claimed.Lease; // released unless recorded or given back, whatever happens below
            await SendAsync(claimed, cancellationToken);
        }
    }

    /// <summary>
    /// Parses the message and claims its task: every case but a claim is settled here (invalid, stale, busy); a claim
    /// comes back, to be sent alone (<see cref="SendAsync"/>) or in a batch whose answer is settled with <see cref="SettleAsync"/>.
    /// </summary>
    internal async Task<ClaimedTask?> PrepareAsync(IncomingTask message, ITaskSettlement settlement, CancellationToken cancellationToken)
    {
        var parsed = TaskMessageParser.Parse(message.Body.ToMemory().Span, TaskMessageLimits.Default);
        if (parsed is TaskMessageParse.Invalid { Reason: var reason })
        {
            logger.LogWarning("Invalid task message {MessageId}: {Reason}", message.MessageId, reason);
            await settlement.DeadLetterAsync(TaskDeadLetterReasons.InvalidMessage, reason, new Dictionary<string, object>(), cancellationToken);
            return null;
        }

        var task = ((TaskMessageParse.Valid)parsed).Message;
        if (task.Version.UpdatedAt is { } updatedAt && updatedAt - time.GetUtcNow() > options.Value.MaxFutureSkew)
        {
            var problem = $"updated_at {updatedAt:O} is more than {options.Value.MaxFutureSkew} ahead of now ({time.GetUtcNow():O}; Tasks:MaxFutureSkew): it would block every later version of the task. Send the time the task changed.";
            logger.LogWarning("Invalid task message {MessageId}: {Reason}", message.MessageId, problem);
            await settlement.DeadLetterAsync(TaskDeadLetterReasons.InvalidMessage, problem, new Dictionary<string, object> { [P.TaskUid] = task.Uid.ToString("D") }, cancellationToken);
            return null;
        }

        using var taskScope = logger.BeginScope("Task {TaskUid}", task.Uid);
        // A re-sync sends again what was applied: the same version passes the stale guard then, an older one never does.
        var resync = message.Properties.TryGetValue(P.Trigger, out var trigger) && Equals(Convert.ToString(trigger, System.Globalization.CultureInfo.InvariantCulture), P.ResyncTrigger);
        switch (await versions.TryClaimAsync(task.Uid, task.Version, resync, cancellationToken))
        {
            case TaskClaim.Stale stale:
                // Counted, and an older version (not a duplicate) logged as a warning: an alert on it shows upstream sending out of order.
                var older = task.Version.TryCompare(stale.Applied) < 0;
                metrics.StaleCompleted(older);
                logger.Log(
                    older ? LogLevel.Warning : LogLevel.Information,
                    "Stale: task {TaskUid} {Version} is not newer than {Applied} (applied, or claimed by a handler before); completed without a call",
                    task.Uid,
                    task.Version,
                    stale.Applied);
                await settlement.CompleteAsync(cancellationToken);
                return null;
            case TaskClaim.Incomparable other:
                await settlement.DeadLetterAsync(
                    TaskDeadLetterReasons.InvalidMessage,
                    $"The task's {task.Version} cannot be ordered against the applied {other.Applied}: use one kind (version or updated_at) per task.",
                    Diagnostics(task, message, null),
                    cancellationToken);
                return null;
            case TaskClaim.Busy busy:
                await settlement.RescheduleAsync(Max(busy.Until - time.GetUtcNow(), TimeSpan.FromSeconds(1)), new Dictionary<string, object>(), cancellationToken);
                return null;
            case TaskClaim.Claimed applied when !resync && unrecorded.Holds(task.Uid, task.Version):
                logger.LogInformation("Task {TaskUid} {Version} was applied by Fragment before its record failed: recorded now, completed without a call", task.Uid, task.Version);
                await using (var lease = applied.Lease)
                {
                    await RecordAppliedAsync(lease, task, null, cancellationToken);
                }

                await settlement.CompleteAsync(cancellationToken);
                return null;
            case TaskClaim.Claimed claimed:
                var attempt = P.Count(message.Properties, P.Attempt) + 1;
                var kind = message.Properties.TryGetValue(P.Trigger, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "normal" : attempt > 1 ? "retry" : "normal";
                return new ClaimedTask(message, task, claimed.Lease, settlement, new FragmentRequestContext(task.Uid.ToString("D"), message.MessageId, attempt, kind, task.Version.ToString(), message.Body.ToString()));
            default:
                throw new InvalidOperationException("Unknown claim outcome.");
        }
    }

    /// <summary>
    /// Sends one claimed task alone (<c>PUT /tasks/{uid}</c>), its claim renewed while the send waits, and settles its
    /// message. A claim that expired before the send is not sent on: the message is delayed.
    /// </summary>
    internal async Task SendAsync(ClaimedTask claimed, CancellationToken cancellationToken)
    {
        if (!claimed.Lease.IsHeld)
        {
            await DelayExpiredAsync(claimed, cancellationToken);
            return;
        }

        var started = time.GetTimestamp();
        var answer = await claimed.Lease.RenewWhileAsync(
            client.PutAsync(claimed.Task.Uid, claimed.Task.ToFragmentBody(), claimed.Context, cancellationToken),
            RenewEvery,
            cancellationToken);
        await SettleAsync(claimed, answer, started, cancellationToken);
    }

    /// <summary>How often a claim is renewed while a send waits: well inside <see cref="TasksOptions.ClaimDuration"/>.</summary>
    internal TimeSpan RenewEvery => options.Value.ClaimDuration / 3;

    /// <summary>The claim expired before its send (another handler may hold the task now): nothing is sent; the message comes back later.</summary>
    internal async Task DelayExpiredAsync(ClaimedTask claimed, CancellationToken cancellationToken)
    {
        logger.LogWarning("The claim on task {TaskUid} {Version} expired before it was sent; the message is delayed, nothing sent", claimed.Task.Uid, claimed.Task.Version);
        await claimed.Lease.ReleaseAsync(cancellationToken);
        await claimed.Settlement.RescheduleAsync(TimeSpan.FromSeconds(1), new Dictionary<string, object>(), cancellationToken);
    }

    /// <summary>Settles a claimed task's message by Fragment's answer (its own, or its batch's), as <see cref="TaskSettlementRules"/> decides.</summary>
    internal async Task SettleAsync(ClaimedTask claimed, FragmentAnswer answer, long started, CancellationToken cancellationToken)
    {
        var (message, task, lease, settlement) = (claimed.Message, claimed.Task, claimed.Lease, claimed.Settlement);
        var history = TaskAttemptHistory.Of(message.Properties);
#pragma warning disable CA5394 // jitter, not security
        var decision = TaskSettlementRules.Decide(answer, history, options.Value, time.GetUtcNow(), Random.Shared.NextDouble());
#pragma warning restore CA5394
        if (answer.NoSlotBefore is { } slot)
        {
            logger.LogInformation("No Fragment request slot for task {TaskUid} before {Slot}; delayed", task.Uid, slot);
        }
        else
        {
            logger.LogInformation(
                "PUT task {TaskUid} {Version}: {Status} (request id {PartnerRequestId}) attempt {Attempt} after {Duration}",
                task.Uid, task.Version, answer.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? answer.TransportFailure, answer.RequestId, history.ThisAttempt, time.GetElapsedTime(started));
        }

        if (decision is TaskSettlementDecision.Complete)
        {
            await RecordAppliedAsync(lease, claimed.Task, answer.RequestId, cancellationToken);
            await settlement.CompleteAsync(cancellationToken);
            return;
        }

        if (decision is TaskSettlementDecision.DeadLetter { Refused: true })
        {
            await lease.GiveBackAsync(cancellationToken);
        }
        else
        {
            await lease.ReleaseAsync(cancellationToken);
        }

        switch (decision)
        {
            case TaskSettlementDecision.DeadLetter dead:
                await DeadLetterAsync(settlement, dead.Reason, dead.Description, task, message, answer, cancellationToken);
                return;
            case TaskSettlementDecision.PauseSending pause:
                logger.LogCritical(
                    "Fragment refused the API token with HTTP {Status}: sending pauses for {Delay}; check Key Vault secret {SecretName}. The message is delayed, not dead-lettered.",
                    answer.Status, pause.Pause, "Fragment:ApiTokenSecretName");
                fragmentTokens.Invalidate(); // sending is already paused for every instance: FragmentBudgetStrategy saw the answer
                await settlement.RescheduleAsync(pause.Pause, Failure(message, answer, pause.Failure), cancellationToken);
                return;
            case TaskSettlementDecision.Reschedule { Failure: null } later:
                await settlement.RescheduleAsync(later.Delay, new Dictionary<string, object>(), cancellationToken);
                return;
            case TaskSettlementDecision.Reschedule { Failure: { } failure } later:
                await settlement.RescheduleAsync(later.Delay, Failure(message, answer, failure), cancellationToken);
                return;
            default:
                throw new InvalidOperationException($"Unknown settlement decision {decision}.");
        }
    }

    /// <summary>
    /// Records the version Fragment applied. Storage failing here (an outage) does not keep the message: Fragment has the
    /// version, so completing it is what keeps it from being sent again, and the claim row still holds the version as
    /// its high-water mark, so no older one passes the guard; the next version of the task records over it. Where the
    /// message comes back all the same (the local queue lives in that storage), <see cref="UnrecordedVersions"/> has it
    /// recorded and completed without a call.
    /// </summary>
    private async Task RecordAppliedAsync(TaskClaimLease lease, TaskMessage task, string? requestId, CancellationToken cancellationToken)
    {
        try
        {
            await lease.RecordAsync(cancellationToken);
            unrecorded.Recorded(task.Uid, task.Version);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException && !cancellationToken.IsCancellationRequested)
        {
            unrecorded.Add(task.Uid, task.Version);
            logger.LogWarning(
                "Fragment applied task {TaskUid} {Version} (request id {PartnerRequestId}) but the version could not be recorded ({Failure}); the message is completed so it is not sent again",
                task.Uid, task.Version, requestId, e.GetType().Name);
        }
    }

    private async Task DeadLetterAsync(ITaskSettlement settlement, string reason, string description, TaskMessage task, IncomingTask message, FragmentAnswer answer, CancellationToken cancellationToken)
    {
        logger.LogWarning("Dead-lettering task {TaskUid}: {Reason}: {Description}", task.Uid, reason, description);
        await settlement.DeadLetterAsync(reason, description, Diagnostics(task, message, answer), cancellationToken);
    }

    private Dictionary<string, object> Diagnostics(TaskMessage task, IncomingTask message, FragmentAnswer? answer)
    {
        var history = TaskAttemptHistory.Of(message.Properties);
        var properties = answer is null ? new Dictionary<string, object>() : Failure(message, answer, history with { Attempts = history.ThisAttempt });
        properties[P.TaskUid] = task.Uid.ToString("D");
        return properties;
    }

    /// <summary>The properties a delayed copy or a dead-letter carries: attempts and the last partner answer.</summary>
    private Dictionary<string, object> Failure(IncomingTask message, FragmentAnswer answer, TaskAttemptHistory recorded)
    {
        var now = time.GetUtcNow();
        var properties = new Dictionary<string, object>
        {
            [P.Attempt] = recorded.Attempts,
            [P.ClientErrorCount] = recorded.ClientErrors,
            [P.FirstFailureAt] = (P.When(message.Properties, P.FirstFailureAt) ?? now).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [P.LastFailureAt] = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            [P.PartnerErrorBody] = Truncate(known.Redact(answer.Body), 1024),
        };
        if (answer.Status is { } status)
        {
            properties[P.HttpStatus] = status;
        }

        if (answer.RequestId is { } requestId)
        {
            properties[P.PartnerRequestId] = requestId;
        }

        return properties;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>A task message whose task this handler has claimed, ready to send.</summary>
    internal sealed record ClaimedTask(IncomingTask Message, TaskMessage Task, TaskClaimLease Lease, ITaskSettlement Settlement, FragmentRequestContext Context);
}
