namespace Integration.Operations;

/// <summary>Re-send the latest accepted version of every task upserted since <paramref name="Since"/>.</summary>
/// <param name="MessagesPerSecond">Velocity; default <see cref="OperationsOptions.MessagesPerSecond"/>.</param>
/// <param name="MaxMessages">Most messages sent; default <see cref="OperationsOptions.MaxMessages"/>.</param>
/// <param name="TimeBudget">Stop sending after this long (an HTTP call has 230 s); the result says where to resume.</param>
public sealed record ResyncRequest(DateTimeOffset Since, bool DryRun, string Actor, double? MessagesPerSecond = null, int? MaxMessages = null, TimeSpan? TimeBudget = null);

/// <summary>Where a re-sync is: tasks found so far, and messages sent (or, in a dry run, that would be).</summary>
public sealed record ResyncProgress(int Tasks, int Sent);

/// <param name="AttemptsRead">Request-log rows read since the time.</param>
/// <param name="Tasks">Distinct tasks with an accepted upsert since the time.</param>
/// <param name="Sent">Messages sent to the task queue (in a dry run: that would be sent).</param>
/// <param name="WithoutBody">Tasks whose message was too large to keep in the log: listed, not sent.</param>
/// <param name="ResumeSince">
/// Set when tasks were left (maximum, time budget or cancellation): a re-sync since this time sends exactly those
/// (tasks go in the order of their latest upsert, so every task whose latest upsert is later is still to be sent).
/// </param>
public sealed record ResyncResult(
    DateTimeOffset Since,
    bool DryRun,
    int AttemptsRead,
    int Tasks,
    int Sent,
    IReadOnlyList<string> WithoutBody,
    bool Cancelled,
    DateTimeOffset? ResumeSince);
