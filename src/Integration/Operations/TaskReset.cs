using Integration.Tasks;
using Microsoft.Extensions.Logging;

namespace Integration.Operations;

/// <summary>What <c>tasks reset</c> cleared: the task's version row as it was, or nothing when it had none.</summary>
public sealed record TaskResetResult(string TaskUid, bool Cleared, TaskVersionState? Was);

/// <summary>
/// Clears a task's version row (applied version, high-water mark, claim), so its next message is sent whatever its
/// version: for a task blocked by a version that never landed. Audited (<c>tasks.reset</c>).
/// </summary>
public sealed class TaskReset(TaskVersionStore versions, OpsAudit audit, ILogger<TaskReset> logger)
{
    public const string Operation = "tasks.reset";

    public async Task<TaskResetResult> ResetAsync(Guid uid, string actor, CancellationToken cancellationToken)
    {
        var audited = await audit.StartAsync(actor, Operation, false, new { TaskUid = uid.ToString("D") }, cancellationToken);
        var was = await versions.ResetAsync(uid, cancellationToken);
        var outcome = was is null
            ? "completed: the task had no version row"
            : $"completed: cleared applied {was.Applied}, high-water mark {was.HighWaterMark}{(was.ClaimedUntil is { } until ? $", claim until {until:O}" : "")}";
        await audit.CompleteAsync(audited, new { Cleared = was is null ? 0 : 1 }, outcome, CancellationToken.None);
        logger.LogWarning("Task {TaskUid} reset by {Actor}: {Outcome}", uid, actor, outcome);
        return new TaskResetResult(uid.ToString("D"), was is not null, was);
    }
}
