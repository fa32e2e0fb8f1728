namespace Integration.Tasks;

/// <summary>
/// Task messages waiting in the task queue and in its dead-letters, as the queue reports them (approximate), or why
/// they are not known (<paramref name="Unknown"/>).
/// </summary>
public sealed record TaskBacklog(long? Waiting, long? DeadLettered, string? Unknown)
{
    /// <summary>When no queue can be counted by this host's identity.</summary>
    public static TaskBacklog NotKnown(string why) => new(null, null, why);
}

/// <summary>Counts the task queue's backlog where the host can (the local queue); Service Bus needs Manage rights the app does not have.</summary>
public interface ITaskBacklog
{
    Task<TaskBacklog> GetAsync(CancellationToken cancellationToken);
}
