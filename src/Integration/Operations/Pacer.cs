namespace Integration.Operations;

/// <summary>
/// Velocity control for operator jobs: at most <c>perSecond</c> turns a second, the first at once, on the injected clock.
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

    /// <summary>Waits until the next turn is due, then takes it.</summary>
    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_next is { } next && next > now)
        {
            await Task.Delay(next - now, _time, cancellationToken);
            now = next;
        }

        _next = now + _interval;
    }
}
