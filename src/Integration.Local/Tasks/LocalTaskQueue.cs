using System.Diagnostics.CodeAnalysis;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Integration.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Local.Tasks;

/// <summary>
/// The local stand-in for the Service Bus task queue, over two Azurite Storage Queues: messages are
/// <see cref="LocalTaskEnvelope"/>s, <c>DequeueCount</c> plays the delivery count, the visibility timeout plays both
/// the message lock and the scheduled send, and a second queue plays the dead-letter subqueue.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: the stand-in for the Service Bus one.")]
public sealed class LocalTaskQueue
{
    /// <summary>The longest a Storage Queue message can be kept invisible.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>Messages never expire (Service Bus' default time-to-live is effectively unlimited too).</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>Dead-letter reason of a queue message that is not a <see cref="LocalTaskEnvelope"/>.</summary>
    public const string InvalidEnvelope = nameof(InvalidEnvelope);

    private const string AzuriteAccount = "devstoreaccount1";

    /// <summary>What of a non-envelope message fits into a dead-letter envelope (base64 grows it by a third).</summary>
    private const int MaxInvalidBytesKept = LocalTaskEnvelope.MaxBytes * 3 / 4 - 4096;

    private readonly QueueClient _queue;
    private readonly QueueClient _deadLetters;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalTaskQueue> _logger;
    private volatile bool _created;

    public LocalTaskQueue(QueueServiceClient queues, IOptions<LocalTaskQueueOptions> options, TimeProvider time, ILogger<LocalTaskQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(queues.AccountName, AzuriteAccount, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The local task queue runs on Azurite only (account {AzuriteAccount}), not on account '{queues.AccountName}'.");
        }

        _queue = queues.GetQueueClient(options.Value.QueueName);
        _deadLetters = queues.GetQueueClient(options.Value.DeadLetterQueueName);
        (_time, _logger) = (time, logger);
    }

    public string QueueName => _queue.Name;

    public string DeadLetterQueueName => _deadLetters.Name;

    /// <summary>Approximate messages in the queue (waiting, in flight or scheduled) and in its dead-letter queue.</summary>
    public async Task<(long Waiting, long DeadLettered)> CountAsync(CancellationToken cancellationToken)
    {
        var queue = await _queue.GetPropertiesAsync(cancellationToken);
        var deadLetters = await _deadLetters.GetPropertiesAsync(cancellationToken);
        return (queue.Value.ApproximateMessagesCount, deadLetters.Value.ApproximateMessagesCount);
    }

    /// <summary>Creates both queues unless they exist; every other call does it on first use.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _deadLetters.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        _created = true;
    }

    /// <summary>Sends one task message with a new id; with <paramref name="delay"/> it stays invisible that long (a scheduled message).</summary>
    /// <param name="delay">Rounded up to whole seconds (Storage Queues' resolution); at most <see cref="MaxDelay"/>.</param>
    /// <returns>The message id the handler will see.</returns>
    public async Task<string> SendAsync(
        BinaryData body,
        IReadOnlyDictionary<string, object>? properties = null,
        TimeSpan? delay = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var messageId = Guid.NewGuid().ToString("N");
        await SendAsync(messageId, body, properties ?? new Dictionary<string, object>(), delay ?? TimeSpan.Zero, cancellationToken);
        return messageId;
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1–32) visible messages and hides them for
    /// <paramref name="visibilityTimeout"/>. A message that is not an envelope is moved to the dead-letter queue
    /// (reason <c>InvalidEnvelope</c>) instead of being returned.
    /// </summary>
    public async Task<IReadOnlyList<LocalTaskDelivery>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        await CreateIfNotExistsAsync(cancellationToken);
        QueueMessage[] received = await _queue.ReceiveMessagesAsync(maxMessages, WholeSeconds(visibilityTimeout, TimeSpan.FromSeconds(1)), cancellationToken);
        var deliveries = new List<LocalTaskDelivery>(received.Length);
        foreach (var message in received)
        {
            LocalTaskEnvelope envelope;
            try
            {
                envelope = LocalTaskEnvelope.Parse(message.Body);
            }
            catch (FormatException e)
            {
                await MoveInvalidAsync(message, e.Message, cancellationToken);
                continue;
            }

            deliveries.Add(new LocalTaskDelivery(
                new IncomingTask(envelope.MessageId, envelope.Body, (int)Math.Min(message.DequeueCount, int.MaxValue), envelope.Properties, envelope.EnqueuedAt),
                message.MessageId,
                message.PopReceipt));
        }

        return deliveries;
    }

    /// <summary>Up to <paramref name="max"/> (1–32) dead-lettered messages, oldest first, left in place.</summary>
    public async Task<IReadOnlyList<DeadLetteredTask>> PeekDeadLettersAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, 32);
        await CreateIfNotExistsAsync(cancellationToken);
        PeekedMessage[] peeked = await _deadLetters.PeekMessagesAsync(max, cancellationToken);
        return [.. peeked.Select(ToDeadLettered)];
    }

    /// <summary>The dead-letter queue itself, for <see cref="LocalDeadLetterQueue"/>.</summary>
    internal QueueClient DeadLetterClient => _deadLetters;

    /// <summary>Sends a task message that keeps <paramref name="messageId"/> (a redriven copy), visible at once.</summary>
    internal Task SendWithIdAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken) =>
        SendAsync(messageId, body, properties, TimeSpan.Zero, cancellationToken);

    internal async Task CompleteAsync(LocalTaskDelivery delivery, CancellationToken cancellationToken) =>
        await _queue.DeleteMessageAsync(delivery.QueueMessageId, delivery.PopReceipt, cancellationToken);

    internal async Task DeadLetterAsync(
        LocalTaskDelivery delivery,
        string reason,
        string description,
        IReadOnlyDictionary<string, object>? properties,
        CancellationToken cancellationToken)
    {
        var message = delivery.Message;
        var envelope = new LocalTaskEnvelope(
            message.MessageId,
            message.Body,
            LocalTaskEnvelope.Overlay(message.Properties, properties),
            message.EnqueuedAt,
            new LocalDeadLetter(reason, description, _time.GetUtcNow()));
        await _deadLetters.SendMessageAsync(envelope.Serialize(), TimeSpan.Zero, NeverExpires, cancellationToken);
        await CompleteAsync(delivery, cancellationToken);
    }

    internal async Task RescheduleAsync(
        LocalTaskDelivery delivery,
        TimeSpan delay,
        IReadOnlyDictionary<string, object>? properties,
        CancellationToken cancellationToken)
    {
        var message = delivery.Message;
        await SendAsync(message.MessageId, message.Body, LocalTaskEnvelope.Overlay(message.Properties, properties), delay, cancellationToken);
        await CompleteAsync(delivery, cancellationToken);
    }

    private async Task SendAsync(
        string messageId,
        BinaryData body,
        IReadOnlyDictionary<string, object> properties,
        TimeSpan delay,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, MaxDelay);
        var visibility = WholeSeconds(delay, TimeSpan.Zero);

        // Like a scheduled Service Bus message, it counts as enqueued when it becomes visible.
        var envelope = new LocalTaskEnvelope(messageId, body, properties, _time.GetUtcNow() + visibility);
        var text = envelope.Serialize();
        await CreateIfNotExistsAsync(cancellationToken);
        await _queue.SendMessageAsync(text, visibility, NeverExpires, cancellationToken);
    }

    private async Task MoveInvalidAsync(QueueMessage message, string error, CancellationToken cancellationToken)
    {
        var raw = message.Body.ToMemory();
        var envelope = new LocalTaskEnvelope(
            message.MessageId,
            raw.Length <= MaxInvalidBytesKept ? message.Body : new BinaryData(raw[..MaxInvalidBytesKept]),
            new Dictionary<string, object>(),
            message.InsertedOn ?? _time.GetUtcNow(),
            new LocalDeadLetter(InvalidEnvelope, error, _time.GetUtcNow()));
        await _deadLetters.SendMessageAsync(envelope.Serialize(), TimeSpan.Zero, NeverExpires, cancellationToken);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        _logger.LogWarning(
            "Queue message {QueueMessageId} in {Queue} is not a task envelope ({Error}); moved to {DeadLetterQueue}",
            message.MessageId,
            _queue.Name,
            error,
            _deadLetters.Name);
    }

    private static DeadLetteredTask ToDeadLettered(PeekedMessage message)
    {
        try
        {
            var envelope = LocalTaskEnvelope.Parse(message.Body);
            var deadLetter = envelope.DeadLetter ?? new LocalDeadLetter("", "", default);
            return new DeadLetteredTask(envelope.MessageId, envelope.Body, deadLetter.Reason, deadLetter.Description, envelope.Properties, deadLetter.At);
        }
        catch (FormatException e)
        {
            // Someone else wrote into the dead-letter queue: show it as it is.
            return new DeadLetteredTask(message.MessageId, message.Body, InvalidEnvelope, e.Message, new Dictionary<string, object>(), message.InsertedOn ?? default);
        }
    }

    /// <summary>Storage Queues take whole seconds; round up so a message is never visible before it is due.</summary>
    private static TimeSpan WholeSeconds(TimeSpan value, TimeSpan minimum)
    {
        var seconds = TimeSpan.FromSeconds(Math.Ceiling(value.TotalSeconds));
        return seconds < minimum ? minimum : seconds;
    }
}
