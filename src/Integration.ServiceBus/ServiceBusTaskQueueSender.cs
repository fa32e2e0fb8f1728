using Azure.Messaging.ServiceBus;
using Integration.DeadLetters;

namespace Integration.ServiceBus;

/// <summary>The operator tools' sender (redrive, re-sync) over the task queue's <see cref="ServiceBusSender"/>.</summary>
public sealed class ServiceBusTaskQueueSender(ServiceBusSender sender) : ITaskQueueSender
{
    public Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var message = new ServiceBusMessage(body) { MessageId = messageId, ContentType = "application/json" };
        foreach (var (key, value) in properties)
        {
            message.ApplicationProperties[key] = value;
        }

        return sender.SendMessageAsync(message, cancellationToken);
    }
}
