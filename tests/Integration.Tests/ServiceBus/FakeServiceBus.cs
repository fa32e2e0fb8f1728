using Azure.Messaging.ServiceBus;

namespace Integration.Tests.ServiceBus;

/// <summary>
/// A dead-letter subqueue as the broker keeps it, on the test's clock: peek-lock with a lock duration, renewals,
/// complete and abandon, and a lock that lapses when it is not renewed in time (the message is then available again,
/// and the lapse is recorded). Messages are <see cref="ServiceBusModelFactory"/> messages.
/// </summary>
internal sealed class FakeDeadLetterSubqueue(TimeProvider time, TimeSpan lockDuration)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, Entry> _messages = [];
    private long _nextSequenceNumber = 1;

    /// <summary>Sequence numbers whose lock lapsed while the receiver still held them.</summary>
    public List<long> Lapsed { get; } = [];

    public int Renewals { get; private set; }

    /// <summary>A renewal of this sequence number fails as if the broker had lost the lock.</summary>
    public long? LoseLockOnRenewal { get; set; }

    public IReadOnlyList<string> MessageIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages.Values.Select(e => e.MessageId)];
            }
        }
    }

    public IReadOnlyList<string> Locked
    {
        get
        {
            lock (_gate)
            {
                ExpireLocks();
                return [.. _messages.Values.Where(e => e.LockedUntil is not null).Select(e => e.MessageId)];
            }
        }
    }

    public void Add(string messageId, string reason, IDictionary<string, object>? properties = null)
    {
        lock (_gate)
        {
            var all = new Dictionary<string, object>(properties ?? new Dictionary<string, object>()) { ["DeadLetterReason"] = reason, ["DeadLetterErrorDescription"] = $"{reason} for {messageId}" };
            _messages.Add(_nextSequenceNumber, new Entry(messageId, _nextSequenceNumber, all, time.GetUtcNow()));
            _nextSequenceNumber++;
        }
    }

    public ServiceBusReceivedMessage? Receive()
    {
        lock (_gate)
        {
            ExpireLocks();
            var entry = _messages.Values.FirstOrDefault(e => e.LockedUntil is null);
            if (entry is null)
            {
                return null;
            }

            entry.LockedUntil = time.GetUtcNow() + lockDuration;
            entry.DeliveryCount++;
            return entry.ToMessage(locked: true);
        }
    }

    public IReadOnlyList<ServiceBusReceivedMessage> Peek(int max, long? from)
    {
        lock (_gate)
        {
            return [.. _messages.Values.Where(e => e.SequenceNumber >= (from ?? 0)).Take(max).Select(e => e.ToMessage(locked: false))];
        }
    }

    public void Renew(ServiceBusReceivedMessage message)
    {
        lock (_gate)
        {
            var entry = Held(message);
            if (LoseLockOnRenewal == message.SequenceNumber)
            {
                entry.LockedUntil = null;
                throw new ServiceBusException("The lock supplied is invalid (test).", ServiceBusFailureReason.MessageLockLost);
            }

            entry.LockedUntil = time.GetUtcNow() + lockDuration;
            Renewals++;
        }
    }

    public void Complete(ServiceBusReceivedMessage message)
    {
        lock (_gate)
        {
            Held(message);
            _messages.Remove(message.SequenceNumber);
        }
    }

    public void Abandon(ServiceBusReceivedMessage message)
    {
        lock (_gate)
        {
            Held(message).LockedUntil = null;
        }
    }

    /// <summary>The entry of a message the caller holds the lock of; a lapsed or unknown lock fails as the broker's would.</summary>
    private Entry Held(ServiceBusReceivedMessage message)
    {
        ExpireLocks();
        if (!_messages.TryGetValue(message.SequenceNumber, out var entry) || entry.LockedUntil is null || entry.LockToken != message.LockToken)
        {
            throw new ServiceBusException($"The lock of {message.MessageId} is lost (test).", ServiceBusFailureReason.MessageLockLost);
        }

        return entry;
    }

    private void ExpireLocks()
    {
        var now = time.GetUtcNow();
        foreach (var entry in _messages.Values.Where(e => e.LockedUntil is { } until && until <= now))
        {
            Lapsed.Add(entry.SequenceNumber);
            entry.LockedUntil = null;
            entry.LockToken = Guid.NewGuid().ToString();
        }
    }

    private sealed class Entry(string messageId, long sequenceNumber, IDictionary<string, object> properties, DateTimeOffset enqueuedAt)
    {
        public string MessageId { get; } = messageId;
        public long SequenceNumber { get; } = sequenceNumber;
        public DateTimeOffset? LockedUntil { get; set; }
        public string LockToken { get; set; } = Guid.NewGuid().ToString();
        public int DeliveryCount { get; set; }

        public ServiceBusReceivedMessage ToMessage(bool locked)
        {
            if (locked)
            {
                LockToken = Guid.NewGuid().ToString();
            }

            return ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: BinaryData.FromString($$"""{"external_id":"{{MessageId}}","status":"DONE"}"""),
                messageId: MessageId,
                properties: new Dictionary<string, object>(properties),
                lockTokenGuid: locked ? Guid.Parse(LockToken) : default,
                deliveryCount: DeliveryCount,
                lockedUntil: locked ? LockedUntil!.Value : default,
                sequenceNumber: SequenceNumber,
                enqueuedTime: enqueuedAt);
        }
    }
}

/// <summary>A <see cref="ServiceBusClient"/> whose receivers read a <see cref="FakeDeadLetterSubqueue"/>; it records what it was asked for.</summary>
internal sealed class FakeServiceBusClient(FakeDeadLetterSubqueue subqueue) : ServiceBusClient
{
    public List<(string Queue, ServiceBusReceiverOptions Options)> Receivers { get; } = [];

    public override ServiceBusReceiver CreateReceiver(string queueName, ServiceBusReceiverOptions options)
    {
        Receivers.Add((queueName, options));
        return new FakeReceiver(subqueue);
    }

}

internal sealed class FakeReceiver(FakeDeadLetterSubqueue subqueue) : ServiceBusReceiver
{
    public override Task<ServiceBusReceivedMessage?> ReceiveMessageAsync(TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(subqueue.Receive());
    }

    public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(subqueue.Peek(maxMessages, fromSequenceNumber));

    public override Task RenewMessageLockAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        subqueue.Renew(message);
        return Task.CompletedTask;
    }

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        subqueue.Complete(message);
        return Task.CompletedTask;
    }

    public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
    {
        subqueue.Abandon(message);
        return Task.CompletedTask;
    }

    public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

}

/// <summary>A <see cref="ServiceBusSender"/> that keeps what it is given.</summary>
internal sealed class RecordingSender : ServiceBusSender
{
    public List<ServiceBusMessage> Sent { get; } = [];

    public List<(ServiceBusMessage Message, DateTimeOffset At)> Scheduled { get; } = [];

    /// <summary>Runs after each send (e.g. to cancel a run between messages).</summary>
    public Action<ServiceBusMessage>? OnSend { get; set; }

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        Sent.Add(message);
        OnSend?.Invoke(message);
        return Task.CompletedTask;
    }

    public override Task<long> ScheduleMessageAsync(ServiceBusMessage message, DateTimeOffset scheduledEnqueueTime, CancellationToken cancellationToken = default)
    {
        Scheduled.Add((message, scheduledEnqueueTime));
        return Task.FromResult((long)Scheduled.Count);
    }

    public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

}
