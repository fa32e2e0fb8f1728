using Integration.DeadLetters;

namespace Integration.Local.Tasks;

/// <summary><see cref="ITaskQueueSender"/> over the local stand-in: the message keeps the id it is given and is visible at once.</summary>
public sealed class LocalTaskQueueSender(LocalTaskQueue queue) : ITaskQueueSender
{
    public Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(properties);
        return queue.SendWithIdAsync(messageId, body, properties, cancellationToken);
    }
}
