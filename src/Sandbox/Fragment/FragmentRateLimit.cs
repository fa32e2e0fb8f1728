namespace Integration.Sandbox.Fragment;

/// <summary>
/// A sliding 60-second window over every request to <c>/tasks/*</c> that reaches the endpoint (faults answer before it).
/// A refused request does not enter the window; it is counted in <see cref="Refused"/>. Thread-safe.
/// </summary>
internal sealed class FragmentRateLimit(int? perMinute, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly Queue<DateTimeOffset> admitted = new();
    private int refused;

    public int Refused => Volatile.Read(ref refused);

    /// <summary>False when the request would exceed the limit; <paramref name="retryAfter"/> is then the wait until the oldest admitted request leaves the window.</summary>
    public bool TryAdmit(out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (perMinute is not { } limit)
        {
            return true;
        }

        var now = time.GetUtcNow();
        lock (gate)
        {
            while (admitted.TryPeek(out var oldest) && oldest + Window <= now)
            {
                admitted.Dequeue();
            }

            if (admitted.Count < limit)
            {
                admitted.Enqueue(now);
                return true;
            }

            retryAfter = admitted.Peek() + Window - now;
        }

        Interlocked.Increment(ref refused);
        return false;
    }
}
