using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Integration.DeadLetters;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Local.Tasks;

/// <summary>
/// <see cref="IDeadLetterQueue"/> over the local stand-in's dead-letter queue (Azurite). A Storage Queue shows only
/// visible messages, peeks at most 32 and has no abandon, so:
/// <list type="bullet">
/// <item>Listing peeks when fewer than 32 are there; otherwise it receives them all in batches, hidden for
/// <see cref="ListingHold"/>, and makes each visible again before yielding any (after a crash they reappear within
/// <see cref="ListingHold"/>). Messages a redrive holds at that moment are not listed.</item>
/// <item>Receiving hides one message at a time for <see cref="LocalTaskQueueOptions.VisibilityTimeout"/> (the lock);
/// completing deletes it; releasing keeps it hidden until the enumeration ends and makes it visible then, so one pass
/// never receives it twice.</item>
/// </list>
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: the stand-in for the dead-letter subqueue.")]
public sealed class LocalDeadLetterQueue(LocalTaskQueue queue, IOptions<LocalTaskQueueOptions> options, ILogger<LocalDeadLetterQueue> logger) : IDeadLetterQueue
{
    /// <summary>How long a listing of more than 32 messages hides those it has read (much longer than reading them takes).</summary>
    public static readonly TimeSpan ListingHold = TimeSpan.FromMinutes(1);

    private const int MaxBatch = 32;

    public async IAsyncEnumerable<DeadLetteredMessage> PeekAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken);
        var client = queue.DeadLetterClient;
        PeekedMessage[] peeked = await client.PeekMessagesAsync(MaxBatch, cancellationToken);
        var listed = peeked.Length < MaxBatch
            ? [.. peeked.Select(m => Read(m.MessageId, m.Body, m.InsertedOn))]
            : await ReadAllAsync(client, cancellationToken);
        foreach (var entry in listed.OrderBy(e => e.Message.DeadLetteredAt ?? e.InsertedOn).ThenBy(e => e.InsertedOn))
        {
            yield return entry.Message;
        }
    }

    public async IAsyncEnumerable<ILockedDeadLetter> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken);
        var client = queue.DeadLetterClient;
        var lockDuration = options.Value.VisibilityTimeout;
        var released = new Dictionary<string, string>(StringComparer.Ordinal); // queue message id → latest pop receipt
        LockedDeadLetter? current = null;
        try
        {
            while (true)
            {
                if (current is { IsCompleted: false })
                {
                    released[current.QueueMessageId] = current.PopReceipt;
                }

                current = null;
                QueueMessage[] received = await client.ReceiveMessagesAsync(1, lockDuration, cancellationToken);
                if (received.Length == 0)
                {
                    yield break;
                }

                var message = received[0];
                if (released.ContainsKey(message.MessageId))
                {
                    // Released earlier in this pass and visible again since: this receive hid it anew.
                    released[message.MessageId] = message.PopReceipt;
                    continue;
                }

                current = new LockedDeadLetter(client, message, Read(message.MessageId, message.Body, message.InsertedOn).Message);
                yield return current;
            }
        }
        finally
        {
            if (current is { IsCompleted: false })
            {
                released[current.QueueMessageId] = current.PopReceipt;
            }

            foreach (var (queueMessageId, popReceipt) in released)
            {
                await ShowAsync(client, queueMessageId, popReceipt);
            }
        }
    }

    /// <summary>Every message, each received once (hidden for <see cref="ListingHold"/>) and made visible again before returning.</summary>
    private async Task<List<Listed>> ReadAllAsync(QueueClient client, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, (Listed Entry, string PopReceipt)>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                QueueMessage[] batch = await client.ReceiveMessagesAsync(MaxBatch, ListingHold, cancellationToken);
                var fresh = 0;
                foreach (var message in batch)
                {
                    fresh += held.ContainsKey(message.MessageId) ? 0 : 1;
                    held[message.MessageId] = (Read(message.MessageId, message.Body, message.InsertedOn), message.PopReceipt);
                }

                if (fresh == 0)
                {
                    break; // empty, or only messages whose hold ran out came back
                }
            }
        }
        finally
        {
            foreach (var (queueMessageId, (_, popReceipt)) in held)
            {
                await ShowAsync(client, queueMessageId, popReceipt);
            }
        }

        return [.. held.Values.Select(h => h.Entry)];
    }

    /// <summary>Makes a hidden message visible again; one deleted or received by someone else meanwhile is left alone.</summary>
    private async Task ShowAsync(QueueClient client, string queueMessageId, string popReceipt)
    {
        try
        {
            await client.UpdateMessageAsync(queueMessageId, popReceipt, (string?)null, TimeSpan.Zero, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            logger.LogDebug(
                "Dead-letter {QueueMessageId} in {Queue} was not made visible again ({ErrorCode}): deleted or received elsewhere meanwhile",
                queueMessageId, client.Name, e.ErrorCode);
        }
    }

    private static Listed Read(string queueMessageId, BinaryData body, DateTimeOffset? insertedOn)
    {
        var inserted = insertedOn ?? default;
        try
        {
            var envelope = LocalTaskEnvelope.Parse(body);
            var deadLetter = envelope.DeadLetter;
            return new Listed(
                new DeadLetteredMessage(
                    envelope.MessageId,
                    envelope.Body,
                    deadLetter?.Reason ?? "",
                    deadLetter?.Description ?? "",
                    envelope.Properties,
                    envelope.EnqueuedAt,
                    deadLetter is null || deadLetter.At == default ? null : deadLetter.At),
                inserted);
        }
        catch (FormatException e)
        {
            // Someone else wrote into the dead-letter queue: show it as it is.
            return new Listed(
                new DeadLetteredMessage(queueMessageId, body, LocalTaskQueue.InvalidEnvelope, e.Message, new Dictionary<string, object>(), inserted, insertedOn),
                inserted);
        }
    }

    private readonly record struct Listed(DeadLetteredMessage Message, DateTimeOffset InsertedOn);

    /// <summary>One received dead-letter; settled once. Release is bookkeeping: the enumeration shows it again when it ends.</summary>
    private sealed class LockedDeadLetter(QueueClient client, QueueMessage queued, DeadLetteredMessage message) : ILockedDeadLetter
    {
        private int _settled;

        public DeadLetteredMessage Message { get; } = message;

        public string QueueMessageId => queued.MessageId;

        public string PopReceipt => queued.PopReceipt;

        public bool IsCompleted { get; private set; }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            Settle(nameof(CompleteAsync));
            await client.DeleteMessageAsync(queued.MessageId, queued.PopReceipt, cancellationToken);
            IsCompleted = true;
        }

        public Task ReleaseAsync(CancellationToken cancellationToken)
        {
            Settle(nameof(ReleaseAsync));
            return Task.CompletedTask;
        }

        private void Settle(string call)
        {
            if (Interlocked.Exchange(ref _settled, 1) != 0)
            {
                throw new InvalidOperationException($"Dead-letter {Message.MessageId} is already settled; {call} is a second settlement call.");
            }
        }
    }
}
