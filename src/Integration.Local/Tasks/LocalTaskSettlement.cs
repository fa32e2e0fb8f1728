using Integration.Tasks;

namespace Integration.Local.Tasks;

/// <summary>
/// Settles one message received from the <see cref="LocalTaskQueue"/>, as <c>ServiceBusMessageActions</c> does in
/// Azure. Exactly one call: a second one throws, whether or not the first succeeded (a failed settlement leaves the
/// message to reappear after the visibility timeout, like a lost Service Bus lock).
/// </summary>
public sealed class LocalTaskSettlement(LocalTaskQueue queue, LocalTaskDelivery delivery) : ITaskSettlement
{
    private int _settled;

    /// <summary>Whether a settlement call was made (even one that failed).</summary>
    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    /// <summary>Deletes the message.</summary>
    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        Settle(nameof(CompleteAsync));
        return queue.CompleteAsync(delivery, cancellationToken);
    }

    /// <summary>Writes the message, the reason, the description and the overlaid properties to the dead-letter queue, then deletes it.</summary>
    public Task DeadLetterAsync(string reason, string description, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(description);
        Settle(nameof(DeadLetterAsync));
        return queue.DeadLetterAsync(delivery, reason, description, properties, cancellationToken);
    }

    /// <summary>Sends a copy (same message id and body, overlaid properties) invisible for <paramref name="delay"/>, then deletes the message.</summary>
    /// <param name="delay">Rounded up to whole seconds; at most <see cref="LocalTaskQueue.MaxDelay"/>.</param>
    public Task RescheduleAsync(TimeSpan delay, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, LocalTaskQueue.MaxDelay);
        Settle(nameof(RescheduleAsync));
        return queue.RescheduleAsync(delivery, delay, properties, cancellationToken);
    }

    private void Settle(string call)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            throw new InvalidOperationException(
                $"Message {delivery.Message.MessageId} is already settled; {call} is a second settlement call (exactly one is allowed).");
        }
    }
}
