using Azure.Messaging.ServiceBus;
using Integration.Tasks;
using Microsoft.Azure.Functions.Worker;

namespace Integration.Functions.Tasks;

/// <summary>
/// Batch mode (off by default: the app setting <c>AzureWebJobs.UpsertTaskBatch.Disabled</c> is true and
/// <c>AzureWebJobs.UpsertTask.Disabled</c> false; swap them to switch). The same queue, delivered in batches
/// (host.json <c>extensions.serviceBus.maxMessageBatchSize</c>); the core sends <c>PUT /tasks/batch</c> requests of
/// <c>Tasks:BatchSize</c> and settles every message on its own.
/// </summary>
public sealed class UpsertTaskBatchFunction(ITaskBatchHandler handler, ServiceBusSender sender, TimeProvider time)
{
    [Function("UpsertTaskBatch")]
    public Task Run(
        [ServiceBusTrigger("%TasksQueueName%", Connection = "ServiceBusConnection", IsBatched = true, AutoCompleteMessages = false)] ServiceBusReceivedMessage[] messages,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(
            [.. messages.Select(message => (
                new IncomingTask(message.MessageId, message.Body, message.DeliveryCount, message.ApplicationProperties, message.EnqueuedTime),
                (ITaskSettlement)new ServiceBusTaskSettlement(message, actions, sender, time)))],
            cancellationToken);
}
