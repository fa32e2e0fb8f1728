namespace Integration.Operations;

/// <summary>Re-send the latest accepted version of every task upserted since <paramref name="Since"/>.</summary>
/// <param name="MessagesPerSecond">Velocity; default <see cref="OperationsOptions.MessagesPerSecond"/>.</param>
/// <param name="MaxMessages">Most messages sent; default <see cref="OperationsOptions.MaxMessages"/>.</param>
/// <param name="TimeBudget">Stop sending after this long (an HTTP call has 230 s); the result says where to resume.</param>
/// <param name="Resume">Go on with the plan of an earlier slice that stopped early (its <see cref="ResyncResult.Resume"/>): no new scan.</param>
public sealed record ResyncRequest(
    DateTimeOffset Since, bool DryRun, string Actor, double? MessagesPerSecond = null, int? MaxMessages = null, TimeSpan? TimeBudget = null, ResyncPlanPosition? Resume = null);

/// <summary>Where a re-sync is: tasks found so far, and messages sent (or, in a dry run, that would be).</summary>
public sealed record ResyncProgress(int Tasks, int Sent);

/// <param name="AttemptsRead">Request-log rows read since the time.</param>
/// <param name="Tasks">Distinct tasks with an accepted upsert since the time.</param>
/// <param name="Sent">Messages sent to the task queue (in a dry run: that would be sent).</param>
/// <param name="WithoutBody">Tasks whose message was too large to keep in the log: listed, not sent.</param>
/// <param name="ResumeSince">
/// Set when tasks were left (maximum, time budget or cancellation): the time of the latest upsert of the first task not
/// sent (tasks go in the order of their latest upsert). A new re-sync since then would scan the log again.
/// </param>
/// <param name="Resume">
/// Set when tasks were left: pass it as <c>resume</c> (<c>--resume</c>) and the next slice sends exactly those from the
/// stored plan, without reading the request log again.
/// </param>
public sealed record ResyncResult(
    DateTimeOffset Since,
    bool DryRun,
    int AttemptsRead,
    int Tasks,
    int Sent,
    IReadOnlyList<string> WithoutBody,
    bool Cancelled,
    DateTimeOffset? ResumeSince,
    string? Resume = null);
