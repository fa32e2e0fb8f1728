namespace Integration.Benchmark.Tasks;

/// <summary>
/// An instance's clock set <paramref name="offset"/> away from the true one (the sandbox keeps the true clock): wall-clock
/// readings move, durations (timers, timestamps) do not, as on a host whose clock is off by a constant.
/// </summary>
internal sealed class OffsetClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public TimeSpan Offset => offset;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary><paramref name="instances"/> offsets spread evenly over −<paramref name="spread"/>..+<paramref name="spread"/> (all zero for one instance).</summary>
    public static TimeSpan[] Spread(int instances, TimeSpan spread) =>
        [.. Enumerable.Range(0, instances).Select(i => instances == 1 ? TimeSpan.Zero : -spread + (2 * spread * i / (instances - 1)))];
}
