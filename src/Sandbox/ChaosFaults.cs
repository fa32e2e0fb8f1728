namespace Integration.Sandbox;

/// <summary>
/// A seeded random source of faults for <see cref="FaultInjector.SetChaos"/>: per request, with the given
/// probabilities, a 5xx (500/502/503/504), a 429 with a Retry-After, or a dropped connection; otherwise a normal
/// answer, possibly after a random delay. Thread-safe; the same seed gives the same sequence of picks.
/// </summary>
public sealed class ChaosFaults(int seed, double serverErrors, double tooManyRequests, double drops, TimeSpan maxLatency, TimeSpan retryAfter)
{
    private static readonly int[] ServerErrors = [500, 502, 503, 504];
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public Fault? Next()
    {
        lock (_gate)
        {
#pragma warning disable CA5394 // chaos, not security
            var roll = _random.NextDouble();
            var latency = TimeSpan.FromMilliseconds(_random.NextDouble() * maxLatency.TotalMilliseconds);
            var status = ServerErrors[_random.Next(ServerErrors.Length)];
#pragma warning restore CA5394
            return roll switch
            {
                _ when roll < serverErrors => new Fault { Status = status, Body = """{"detail":"chaos"}""", Delay = latency },
                _ when roll < serverErrors + tooManyRequests => new Fault { Status = 429, RetryAfter = retryAfter, Body = """{"detail":"slow down"}""" },
                _ when roll < serverErrors + tooManyRequests + drops => new Fault { DropConnection = true },
                _ when latency > TimeSpan.Zero => new Fault { Delay = latency },
                _ => null,
            };
        }
    }
}
