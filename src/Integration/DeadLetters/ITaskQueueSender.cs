namespace Integration.DeadLetters;

/// <summary>Sends a message to the main task queue (Service Bus in Azure, the local stand-in elsewhere).</summary>
public interface ITaskQueueSender
{
    Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken);
}
