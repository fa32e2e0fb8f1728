using Azure;
using Integration.Tasks;

namespace Integration.Local.Tasks;

/// <summary>The local task queue's backlog: Azurite's approximate message counts of the queue and its dead-letter queue.</summary>
public sealed class LocalTaskBacklog(LocalTaskQueue queue) : ITaskBacklog
{
    public async Task<TaskBacklog> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (waiting, deadLettered) = await queue.CountAsync(cancellationToken);
            return new TaskBacklog(waiting, deadLettered, null);
        }
        catch (RequestFailedException e)
        {
            return TaskBacklog.NotKnown($"the local task queue answered HTTP {e.Status} {e.ErrorCode}");
        }
    }
}
