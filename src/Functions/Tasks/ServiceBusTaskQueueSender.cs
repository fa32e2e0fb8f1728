using Azure.Messaging.ServiceBus;
using Integration.DeadLetters;

namespace Integration.Functions.Tasks;

/// <summary>The operator tools' sender (redrive, re-sync) over the task queue's <see cref="ServiceBusSender"/>.</summary>
internal sealed class ServiceBusTaskQueueSender(ServiceBusSender sender) : ITaskQueueSender
{
    public Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        var message = new ServiceBusMessage(body) { MessageId = messageId, ContentType = "application/json" };
        foreach (var (key, value) in properties)
        {
            message.ApplicationProperties[key] = value;
        }

        return sender.SendMessageAsync(message, cancellationToken);
    }
}
