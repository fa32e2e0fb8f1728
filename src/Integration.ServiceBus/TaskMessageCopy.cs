using Azure.Messaging.ServiceBus;

namespace Integration.ServiceBus;

/// <summary>
/// A delayed retry of a task message: a copy scheduled on the task queue (the received message is then completed by
/// the trigger's settlement). The copy is <c>new ServiceBusMessage(received)</c>: it keeps the body, MessageId,
/// ContentType, CorrelationId, Subject, To, ReplyTo, SessionId, PartitionKey, TimeToLive and the application properties;
/// the broker's own annotations (sequence number, enqueued time, lock, delivery count, dead-letter source) and the
/// dead-letter reason, description and Diagnostic-Id properties are not copied. The retry's properties (attempt,
/// failure times, …) are set over the copied ones.
/// </summary>
public static class TaskMessageCopy
{
    public static ServiceBusMessage Create(ServiceBusReceivedMessage received, IReadOnlyDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(properties);
        var copy = new ServiceBusMessage(received);
        foreach (var (key, value) in properties)
        {
            copy.ApplicationProperties[key] = value;
        }

        return copy;
    }

    /// <summary>Schedules the copy for <paramref name="at"/>; returns its sequence number (to cancel it, if ever needed).</summary>
    public static Task<long> ScheduleAsync(
        ServiceBusSender sender,
        ServiceBusReceivedMessage received,
        DateTimeOffset at,
        IReadOnlyDictionary<string, object> properties,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return sender.ScheduleMessageAsync(Create(received, properties), at, cancellationToken);
    }
}
