namespace Integration.Operations;

/// <summary>
/// Velocity control for operator jobs: at most <c>perSecond</c> turns a second, the first at once, on the injected clock.
/// <see cref="WaitAsync"/> and <see cref="Take"/> apart let a job wait before it locks anything and take the turn only
/// when it really sends (a redrive skips messages without spending turns).
/// </summary>
public sealed class Pacer
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private DateTimeOffset? _next;

    public Pacer(double perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentNullException.ThrowIfNull(time);
        _interval = TimeSpan.FromSeconds(1 / perSecond);
        _time = time;
    }

    /// <summary>Waits until the next turn is due (at once when no turn was taken yet).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_next is { } next && next - _time.GetUtcNow() is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Takes a turn now: the next is due one interval later.</summary>
    public void Take() => _next = _time.GetUtcNow() + _interval;

    /// <summary>Waits until the next turn is due, then takes it.</summary>
    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        await WaitAsync(cancellationToken);
        Take();
    }
}
