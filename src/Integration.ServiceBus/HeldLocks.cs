using Azure.Messaging.ServiceBus;

namespace Integration.ServiceBus;

/// <summary>
/// The locks a pass over the dead-letters holds (the messages it released, so that it does not see them again, and the
/// one the caller works on), renewed on the injected clock before half their lock duration has passed, also while the
/// caller waits between messages. A renewal that fails is kept in <see cref="Lost"/> for the pass to stop on.
/// </summary>
internal sealed class HeldLocks(ServiceBusReceiver receiver, TimeProvider time) : IAsyncDisposable
{
    /// <summary>The shortest lock assumed, whatever the message's LockedUntil says (clock skew).</summary>
    internal static readonly TimeSpan MinimumLock = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Held> _held = [];
    private readonly List<Task> _renewals = [];
    private ITimer? _timer;

    /// <summary>The first message whose lock could not be renewed, and why.</summary>
    public (ServiceBusReceivedMessage Message, Exception Error)? Lost { get; private set; }

    public int RenewalCount { get; private set; }

    /// <summary>Held messages, oldest first.</summary>
    public IReadOnlyList<ServiceBusReceivedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _held.Values.Select(h => h.Message).OrderBy(m => m.SequenceNumber)];
            }
        }
    }

    public void Hold(ServiceBusReceivedMessage message)
    {
        var now = time.GetUtcNow();
        var lockFor = message.LockedUntil - now;
        if (lockFor < MinimumLock)
        {
            lockFor = MinimumLock;
        }

        lock (_gate)
        {
            _held[message.SequenceNumber] = new Held(message, lockFor) { RenewAt = now + lockFor / 2 };
            if (_timer is null)
            {
                var period = lockFor / 4;
                _timer = time.CreateTimer(_ => RenewDue(), null, period, period);
            }
        }
    }

    /// <summary>The message is being completed: no more renewals, and a failing one no longer counts.</summary>
    public void Settling(ServiceBusReceivedMessage message, bool settling)
    {
        lock (_gate)
        {
            if (_held.TryGetValue(message.SequenceNumber, out var held))
            {
                held.Settling = settling;
            }
        }
    }

    public void Forget(ServiceBusReceivedMessage message)
    {
        lock (_gate)
        {
            _held.Remove(message.SequenceNumber);
        }
    }

    private void RenewDue()
    {
        var now = time.GetUtcNow();
        List<Held> due;
        lock (_gate)
        {
            due = [.. _held.Values.Where(h => h is { Renewing: false, Settling: false } && h.RenewAt <= now)];
            foreach (var held in due)
            {
                held.Renewing = true;
            }

            _renewals.RemoveAll(task => task.IsCompleted);
        }

        foreach (var held in due)
        {
            var renewal = RenewAsync(held);
            lock (_gate)
            {
                _renewals.Add(renewal);
            }
        }
    }

    private async Task RenewAsync(Held held)
    {
        try
        {
            await receiver.RenewMessageLockAsync(held.Message, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                held.RenewAt = time.GetUtcNow() + held.LockFor / 2;
                held.Renewing = false;
                RenewalCount++;
            }
        }
        catch (Exception e)
        {
            // Any failure (lock lost, connection, credential) means the lock may lapse: the pass stops on it.
            lock (_gate)
            {
                held.Renewing = false;
                if (!held.Settling && _held.ContainsKey(held.Message.SequenceNumber))
                {
                    Lost ??= (held.Message, e);
                }
            }
        }
    }

    /// <summary>Stops renewing and waits for renewals under way (the held messages are then abandoned by the pass).</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            pending = [.. _renewals];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private sealed class Held(ServiceBusReceivedMessage message, TimeSpan lockFor)
    {
        public ServiceBusReceivedMessage Message { get; } = message;
        public TimeSpan LockFor { get; } = lockFor;
        public DateTimeOffset RenewAt { get; set; }
        public bool Renewing { get; set; }
        public bool Settling { get; set; }
    }
}
