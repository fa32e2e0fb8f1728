using Azure.Messaging.ServiceBus;
using Integration.ServiceBus;
using Integration.Tasks;
using Microsoft.Azure.Functions.Worker;

namespace Integration.Functions.Tasks;

/// <summary>The core's settlement over the trigger's <see cref="ServiceBusMessageActions"/>; a delayed retry is a scheduled copy (<see cref="TaskMessageCopy"/>).</summary>
internal sealed class ServiceBusTaskSettlement(
    ServiceBusReceivedMessage message,
    ServiceBusMessageActions actions,
    ServiceBusSender sender,
    TimeProvider time) : ITaskSettlement
{
    public Task CompleteAsync(CancellationToken cancellationToken) => actions.CompleteMessageAsync(message, cancellationToken);

    public Task DeadLetterAsync(string reason, string description, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken) =>
        actions.DeadLetterMessageAsync(message, new Dictionary<string, object>(properties), reason, description, cancellationToken);

    public async Task RescheduleAsync(TimeSpan delay, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        await TaskMessageCopy.ScheduleAsync(sender, message, time.GetUtcNow() + delay, properties, cancellationToken);
        await actions.CompleteMessageAsync(message, cancellationToken);
    }
}
