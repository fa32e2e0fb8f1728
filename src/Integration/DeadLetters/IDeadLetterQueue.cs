using System.Diagnostics.CodeAnalysis;

namespace Integration.DeadLetters;

/// <summary>
/// The task queue's dead-letters, as the host keeps them: the Service Bus dead-letter subqueue in Azure (a
/// <c>ServiceBusReceiver</c> on <c>SubQueue.DeadLetter</c>), the Azurite stand-in's second queue locally.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: the dead-letter subqueue.")]
public interface IDeadLetterQueue
{
    /// <summary>Every dead-lettered message, oldest first, read without locking, settling or changing any.</summary>
    IAsyncEnumerable<DeadLetteredMessage> PeekAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The dead-lettered messages one at a time, each locked for the caller, who completes or releases it.
    /// <list type="bullet">
    /// <item>Each step locks at most one message (no prefetch), so a lock is held only while the caller works on it.</item>
    /// <item>A message is yielded at most once per enumeration; the enumeration ends when every message there when it
    /// started has been yielded (messages dead-lettered meanwhile may or may not be).</item>
    /// <item>A yielded message neither completed nor released when the enumeration moves on or ends counts as released.</item>
    /// </list>
    /// </summary>
    IAsyncEnumerable<ILockedDeadLetter> ReceiveAsync(CancellationToken cancellationToken);
}
