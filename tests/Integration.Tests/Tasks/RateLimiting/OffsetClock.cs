namespace Integration.Tests.Tasks.RateLimiting;

/// <summary>
/// An instance's clock, <paramref name="offset"/> away from <paramref name="inner"/> (the true one): readings move,
/// durations do not (timers are the inner clock's, so a <see cref="SteppingClock"/> still sees every sleeper).
/// </summary>
internal sealed class OffsetClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
