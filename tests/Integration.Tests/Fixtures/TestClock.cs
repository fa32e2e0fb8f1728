using Microsoft.Extensions.Time.Testing;

namespace Integration.Tests.Fixtures;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when code under test starts waiting (a timer created or re-armed),
/// so a test advances time exactly when a delay is pending instead of guessing. Due times are compared in whole
/// milliseconds, the resolution <c>Task.Delay</c> and <c>CancelAfter</c> keep.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<long> _armed = [];
    private readonly List<(long Milliseconds, int Count, TaskCompletionSource Done)> _waiters = [];

    public TestClock()
        : this(DateTimeOffset.UtcNow)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SignallingTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Armed(dueTime);
        return timer;
    }

    /// <summary>Completes once <paramref name="count"/> timers of this due time have been armed (counting earlier ones).</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime, int count = 1)
    {
        var milliseconds = (long)dueTime.TotalMilliseconds;
        lock (_armed)
        {
            if (_armed.Count(m => m == milliseconds) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((milliseconds, count, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Waits until a timer of <paramref name="dueTime"/> is pending, then moves time past it.</summary>
    public async Task AdvanceWhenWaitingAsync(TimeSpan dueTime, int count = 1)
    {
        await WaitForTimerAsync(dueTime, count);
        Advance(TimeSpan.FromMilliseconds(Math.Ceiling(dueTime.TotalMilliseconds)));
    }

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime < TimeSpan.Zero || dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (_armed)
        {
            var milliseconds = (long)dueTime.TotalMilliseconds;
            _armed.Add(milliseconds);
            foreach (var waiter in _waiters.ToList().Where(w => w.Milliseconds == milliseconds && _armed.Count(m => m == milliseconds) >= w.Count))
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    private sealed class SignallingTimer(ITimer inner, TestClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
