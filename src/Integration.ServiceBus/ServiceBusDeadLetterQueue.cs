using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Azure.Messaging.ServiceBus;
using Integration.DeadLetters;

namespace Integration.ServiceBus;

/// <summary>
/// The task queue's dead-letter subqueue, for the operator tools: peeked page by page, or received one message at a
/// time. A pass (<see cref="ReceiveAsync"/>) keeps every message it released locked until it ends, so that it never sees
/// one twice, and renews those locks (<see cref="HeldLocks"/>) however long it runs; if a lock is lost anyway, the pass
/// stops with a <see cref="DeadLetterPassStoppedException"/> instead of ending as if it had seen everything.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: the dead-letter subqueue.")]
public sealed class ServiceBusDeadLetterQueue(ServiceBusClient client, string queueName, TimeProvider time) : IDeadLetterQueue
{
    private const int PageSize = 100;

    /// <summary>How long a receive waits for a message before the pass counts the subqueue as gone through.</summary>
    internal static readonly TimeSpan EndOfQueueWait = TimeSpan.FromSeconds(5);

    public string QueueName { get; } = queueName;

    public async IAsyncEnumerable<DeadLetteredMessage> PeekAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var receiver = client.CreateReceiver(QueueName, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        long? from = null;
        while (true)
        {
            var page = await receiver.PeekMessagesAsync(PageSize, from, cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var message in page)
            {
                yield return Map(message);
            }

            from = page[^1].SequenceNumber + 1;
        }
    }

    public async IAsyncEnumerable<ILockedDeadLetter> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var receiver = client.CreateReceiver(
            QueueName,
            new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 });
        var locks = new HeldLocks(receiver, time);
        var seen = new HashSet<long>();
        try
        {
            while (true)
            {
                StopIfALockWasLost(locks, seen.Count);
                if (await receiver.ReceiveMessageAsync(EndOfQueueWait, cancellationToken) is not { } message)
                {
                    StopIfALockWasLost(locks, seen.Count);
                    yield break;
                }

                if (!seen.Add(message.SequenceNumber))
                {
                    // Only a message whose lock was lost comes back while the pass runs.
                    await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
                    throw new DeadLetterPassStoppedException(
                        $"Dead-lettered message {message.MessageId} (sequence number {message.SequenceNumber}) came back during the pass: its lock was lost. " +
                        $"The pass stopped after {seen.Count} messages so as not to take one twice; run it again to go on.");
                }

                locks.Hold(message);
                yield return new Locked(receiver, message, locks);
            }
        }
        finally
        {
            // Released messages (and one neither completed nor released) are abandoned only now: until the pass ends,
            // their locks keep them from coming back to it.
            await locks.DisposeAsync();
            foreach (var message in locks.Messages)
            {
                try
                {
                    await receiver.AbandonMessageAsync(message, cancellationToken: CancellationToken.None);
                }
                catch (ServiceBusException e) when (e.Reason == ServiceBusFailureReason.MessageLockLost)
                {
                    // The lock ran out already: the message is available again anyway.
                }
            }
        }
    }

    private static void StopIfALockWasLost(HeldLocks locks, int seen)
    {
        if (locks.Lost is { } lost)
        {
            throw new DeadLetterPassStoppedException(
                $"The lock of dead-lettered message {lost.Message.MessageId} (sequence number {lost.Message.SequenceNumber}) could not be renewed " +
                $"({lost.Error.Message}). The pass stopped after {seen} messages so as not to take one twice; run it again to go on.",
                lost.Error);
        }
    }

    private static DeadLetteredMessage Map(ServiceBusReceivedMessage message) => new(
        message.MessageId,
        message.Body,
        message.DeadLetterReason ?? "",
        message.DeadLetterErrorDescription ?? "",
        message.ApplicationProperties,
        message.EnqueuedTime,
        DeadLetteredAt: null);

    private sealed class Locked(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, HeldLocks locks) : ILockedDeadLetter
    {
        public DeadLetteredMessage Message { get; } = Map(message);

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            locks.Settling(message, settling: true);
            try
            {
                await receiver.CompleteMessageAsync(message, cancellationToken);
            }
            catch
            {
                locks.Settling(message, settling: false);
                throw;
            }

            locks.Forget(message);
        }

        // Stays held (locked, renewed) until the pass ends, then abandoned: unchanged, and not seen again by this pass.
        public Task ReleaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
