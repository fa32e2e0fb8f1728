namespace Integration.Tasks;

/// <summary>
/// How the handler settles the message it was given; the host implements it over its queue
/// (<c>ServiceBusMessageActions</c> + a sender in Azure, the Azurite stand-in locally). Exactly one call per message.
/// </summary>
public interface ITaskSettlement
{
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Moves the message to the dead-letter queue with a typed reason, a description and diagnostic properties.</summary>
    Task DeadLetterAsync(string reason, string description, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a copy (same body and properties, overlaid with <paramref name="properties"/>) to be delivered after
    /// <paramref name="delay"/>, then completes this message: a delayed retry that does not burn a delivery.
    /// </summary>
    Task RescheduleAsync(TimeSpan delay, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken);
}
