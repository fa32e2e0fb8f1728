using System.Runtime.CompilerServices;
using Azure.Messaging.ServiceBus;
using Integration.DeadLetters;

namespace Integration.Functions.Tasks;

/// <summary>The task queue's dead-letter subqueue, for the operator tools: peeked page by page, or received one message at a time.</summary>
internal sealed class ServiceBusDeadLetterQueue(ServiceBusClient client, string queueName) : IDeadLetterQueue
{
    private const int PageSize = 100;

    public async IAsyncEnumerable<DeadLetteredMessage> PeekAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var receiver = client.CreateReceiver(queueName, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
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
            queueName,
            new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 });
        var seen = new HashSet<long>();
        var released = new List<ServiceBusReceivedMessage>();
        try
        {
            while (await receiver.ReceiveMessageAsync(TimeSpan.FromSeconds(5), cancellationToken) is { } message)
            {
                if (!seen.Add(message.SequenceNumber))
                {
                    // A released message whose lock ran out came back: it was yielded already; the end is near.
                    await receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken);
                    break;
                }

                var locked = new Locked(receiver, message, released);
                yield return locked;
                if (!locked.Settled)
                {
                    released.Add(message);
                }
            }
        }
        finally
        {
            // Released messages keep their lock until the enumeration ends, so the same enumeration never sees them again.
            foreach (var message in released)
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

    private static DeadLetteredMessage Map(ServiceBusReceivedMessage message) => new(
        message.MessageId,
        message.Body,
        message.DeadLetterReason ?? "",
        message.DeadLetterErrorDescription ?? "",
        message.ApplicationProperties,
        message.EnqueuedTime,
        DeadLetteredAt: null);

    private sealed class Locked(ServiceBusReceiver receiver, ServiceBusReceivedMessage message, List<ServiceBusReceivedMessage> released) : ILockedDeadLetter
    {
        public DeadLetteredMessage Message { get; } = Map(message);

        public bool Settled { get; private set; }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await receiver.CompleteMessageAsync(message, cancellationToken);
            Settled = true;
        }

        public Task ReleaseAsync(CancellationToken cancellationToken)
        {
            released.Add(message);
            Settled = true;
            return Task.CompletedTask;
        }
    }
}
