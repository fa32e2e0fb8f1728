namespace Integration.DeadLetters;

/// <summary>A dead-lettered message locked by <see cref="IDeadLetterQueue.ReceiveAsync"/>; settle it exactly once.</summary>
public interface ILockedDeadLetter
{
    DeadLetteredMessage Message { get; }

    /// <summary>Removes the message from the dead-letter queue (after its copy was sent back).</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Leaves the message dead-lettered, unchanged (an abandon). The same enumeration does not yield it again; it is
    /// available to others again at the latest when the enumeration ends.
    /// </summary>
    Task ReleaseAsync(CancellationToken cancellationToken);
}
