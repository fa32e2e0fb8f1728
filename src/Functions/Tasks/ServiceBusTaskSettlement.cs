using Azure.Messaging.ServiceBus;
using Integration.Tasks;
using Microsoft.Azure.Functions.Worker;

namespace Integration.Functions.Tasks;

/// <summary>The core's settlement over the trigger's <see cref="ServiceBusMessageActions"/>; a delayed retry is a scheduled copy.</summary>
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
        var copy = new ServiceBusMessage(message);
        foreach (var (key, value) in properties)
        {
            copy.ApplicationProperties[key] = value;
        }

        await sender.ScheduleMessageAsync(copy, time.GetUtcNow() + delay, cancellationToken);
        await actions.CompleteMessageAsync(message, cancellationToken);
    }
}
