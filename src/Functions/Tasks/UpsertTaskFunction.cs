using Azure.Messaging.ServiceBus;
using Integration.Tasks;
using Microsoft.Azure.Functions.Worker;

namespace Integration.Functions.Tasks;

/// <summary>
/// Task messages from the queue named by the flat app setting <c>TasksQueueName</c> go to Fragment. The core settles every
/// message itself (<c>AutoCompleteMessages = false</c>), so nothing is thrown after settling.
/// </summary>
public sealed class UpsertTaskFunction(ITaskHandler handler, ServiceBusSender sender, TimeProvider time)
{
    [Function("UpsertTask")]
    public Task Run(
        [ServiceBusTrigger("%TasksQueueName%", Connection = "ServiceBusConnection", AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(
            new IncomingTask(message.MessageId, message.Body, message.DeliveryCount, message.ApplicationProperties, message.EnqueuedTime),
            new ServiceBusTaskSettlement(message, actions, sender, time),
            cancellationToken);
}
