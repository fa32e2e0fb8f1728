using Microsoft.Extensions.Time.Testing;

namespace Integration.Tests.Tasks.RateLimiting;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows which one-shot timers are pending and when they are due, so a test
/// driving several waiters can wait until every one of them is asleep and then jump straight to the earliest wake-up:
/// time never moves while any waiter is still working, whatever the thread scheduling.
/// </summary>
internal sealed class SteppingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Pending, DateTimeOffset> _pending = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
        {
            throw new NotSupportedException("SteppingClock tracks one-shot timers only.");
        }

        var pending = new Pending(this);
        pending.Inner = base.CreateTimer(
            s =>
            {
                Track(pending, null, fired: true);
                callback(s);
            },
            state,
            dueTime,
            period);
        Track(pending, dueTime, fired: false);
        return pending;
    }

    /// <summary>
    /// Completes when exactly <paramref name="sleepers"/> timers are pending, with the earliest due time; fails as soon as
    /// one of <paramref name="workers"/> ends (a waiter that stopped can never be asleep), or after 30 real seconds.
    /// </summary>
    public async Task<DateTimeOffset> AllAsleepAsync(int sleepers, IReadOnlyCollection<Task> workers)
    {
        var limit = Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_pending.Count == sleepers)
                {
                    return _pending.Values.Min();
                }

                changed = _changed.Task;
            }

            var woke = await Task.WhenAny(changed, Task.WhenAny(workers), limit);
            if (woke == limit)
            {
                throw new TimeoutException($"{PendingCount} of {sleepers} waiters asleep after 30 s.");
            }

            if (woke != changed)
            {
                var ended = workers.First(w => w.IsCompleted);
                await ended; // rethrows its exception
                throw new InvalidOperationException("A waiter ended while the test still drives the clock.");
            }
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    private void Track(Pending timer, TimeSpan? dueTime, bool fired)
    {
        lock (_gate)
        {
            if (fired)
            {
                timer.Fired = true;
                _pending.Remove(timer);
            }
            else if (timer.Fired || timer.Disposed || dueTime is not { } due || due == Timeout.InfiniteTimeSpan)
            {
                _pending.Remove(timer);
            }
            else
            {
                // Registered only once the inner timer exists; the clock cannot move before that (the driver waits
                // for this very timer), so now + due is the inner timer's wake-up time.
                _pending[timer] = GetUtcNow() + due;
            }

            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private sealed class Pending(SteppingClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;
        public bool Fired { get; set; }
        public bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                Fired = false; // before the inner change, which may fire at once
            }

            var changed = Inner.Change(dueTime, period);
            clock.Track(this, dueTime, fired: false);
            return changed;
        }

        public void Dispose()
        {
            Inner.Dispose();
            lock (clock._gate)
            {
                Disposed = true;
            }

            clock.Track(this, null, fired: false);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
