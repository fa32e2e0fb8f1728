using System.Collections.Concurrent;
using Azure.Data.Tables;
using Integration.Tasks.RateLimiting;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging;

namespace Integration.Tests.Tasks.RateLimiting;

/// <summary>
/// The Fragment budget shared by every instance: several limiters, each with its own <see cref="TableServiceClient"/>,
/// on one table in Azurite, as separate app instances would be.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DistributedRateLimiterTests : IAsyncLifetime, IDisposable
{
    /// <summary>Whole seconds, so every stored time round-trips exactly.</summary>
    /// <summary>Each limiter takes slots in a loop of its own until stopped; each grant's true time goes to <paramref name="acquired"/>.</summary>
    private static Task[] TakeSlots(IEnumerable<DistributedRateLimiter> limiters, TimeProvider clock, ConcurrentQueue<DateTimeOffset> acquired, CancellationToken stop) =>
    [
        .. limiters.Select(limiter => Task.Run(async () =>
        {
            while (true)
            {
                if (await limiter.WaitAsync(stop))
                {
                    acquired.Enqueue(clock.GetUtcNow());
                }
            }
        })),
    ];

    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _table = $"RateLimit{Guid.NewGuid():N}";
    private readonly AzuriteFixture _azurite;
    private readonly CapturedLogs _logs = new();
    private readonly ILoggerFactory _loggers;

    public DistributedRateLimiterTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
    }

    /// <summary>Real time any single call may take; a limiter wrongly waiting on the fake clock fails instead of hanging.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => CancellationToken.None;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await new TableServiceClient(_azurite.ConnectionString).DeleteTableAsync(_table);

    public void Dispose()
    {
        _loggers.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Four_instances_over_three_minutes_never_exceed_the_shared_budget_and_use_nearly_all_of_it()
    {
        var clock = new SteppingClock(Start);
        var options = Options(maxWait: TimeSpan.FromMinutes(10));
        var limiters = Enumerable.Range(0, 4).Select(_ => Limiter(clock, options)).ToArray();
        var acquired = new ConcurrentQueue<DateTimeOffset>();
        using var stop = new CancellationTokenSource();

        var workers = TakeSlots(limiters, clock, acquired, stop.Token);

        // Time moves only while all four are asleep on the clock, straight to the earliest wake-up.
        var end = Start + TimeSpan.FromMinutes(3);
        while (true)
        {
            var next = await clock.AllAsleepAsync(4, workers);
            var elapsed = clock.GetUtcNow() - Start;
            var count = acquired.Count;
            Assert.True(WithinBudget(count, elapsed), $"{count} acquisitions after {elapsed}");
            if (next > end)
            {
                break;
            }

            clock.SetUtcNow(next);
        }

        await stop.CancelAsync();
        foreach (var worker in workers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker);
        }

        // Over any window between two acquisitions, at most Burst + rate × window of them (give or take the millisecond a
        // timer rounds up to: a slot falls between milliseconds, its waiter wakes on the next one).
        var times = acquired.Order().ToArray();
        for (var first = 0; first < times.Length; first++)
        {
            for (var last = first; last < times.Length; last++)
            {
                var window = times[last] - times[first];
                Assert.True(WithinBudget(last - first + 1, window + TimeSpan.FromMilliseconds(1)), $"{last - first + 1} acquisitions within {window} from {times[first]:O}");
            }
        }

        // The partner's rule, checked directly: no sliding minute holds a 61st request, even one arriving 0.5 s late.
        for (var i = 60; i < times.Length; i++)
        {
            Assert.True(times[i] - times[i - 60] >= TimeSpan.FromSeconds(60.5), $"61 acquisitions from {times[i - 60]:O} to {times[i]:O}");
        }

        // And nearly all of the budget is used: the burst, then 59.5 a minute (179.5 in three minutes).
        var withinThreeMinutes = times.Count(t => t <= end);
        Assert.InRange(withinThreeMinutes, 179, 180);
        Assert.InRange(clock.GetUtcNow(), end - TimeSpan.FromMilliseconds(1009), end); // the last wake-up before the end: one refill (60.5/60 s) away at most
    }

    /// <summary>
    /// Sixteen instances, each waiting on its own clock (off from the true one by an offset spread evenly over
    /// −offset..+offset), reserve slots for three minutes. Acquisitions are timed on the true clock, as the partner sees
    /// them. With <see cref="RateLimitOptions.ClockSkew"/> at the widest difference between two clocks no 61st request
    /// comes within a minute + the jitter allowance of the first; the budget is still nearly all used; and each slot
    /// costs one read and one write of the row, not a poll per waiter.
    /// </summary>
    [Theory]
    [InlineData(0.0, 0.1)] // the default skew, clocks in step
    [InlineData(1.0, 2.0)] // clocks up to ±1 s off: 2 s apart at most
    public async Task Sixteen_instances_whose_clocks_differ_never_put_a_61st_request_in_a_minute_and_pay_two_storage_calls_a_slot(double offsetSeconds, double skewSeconds)
    {
        const int instances = 16;
        var clock = new SteppingClock(Start);
        var options = Options(maxWait: TimeSpan.FromMinutes(10), clockSkew: TimeSpan.FromSeconds(skewSeconds));
        var calls = new StorageCalls();
        var offset = TimeSpan.FromSeconds(offsetSeconds);
        var limiters = Enumerable.Range(0, instances)
            .Select(i => Limiter(new OffsetClock(clock, -offset + (2 * offset * i / (instances - 1))), options, calls))
            .ToArray();
        var acquired = new ConcurrentQueue<DateTimeOffset>();
        using var stop = new CancellationTokenSource();

        var workers = TakeSlots(limiters, clock, acquired, stop.Token);

        // Storage calls and grants counted whenever all are asleep after the first minute (start-up left out: every
        // instance creating the table and racing for the first slots) and at the end.
        var end = Start + TimeSpan.FromMinutes(3);
        (int Calls, int Conflicts, int Grants)? steady = null;
        while (await clock.AllAsleepAsync(instances, workers) is var next && next <= end)
        {
            if (steady is null && next > Start + TimeSpan.FromMinutes(1))
            {
                steady = (calls.Count, calls.Conflicts, acquired.Count);
            }

            clock.SetUtcNow(next);
        }

        var (callsBefore, conflictsBefore, grantsBefore) = steady!.Value;
        var (slotCalls, slotConflicts, slots) = (calls.Count - callsBefore, calls.Conflicts - conflictsBefore, acquired.Count - grantsBefore);
        await stop.CancelAsync();
        foreach (var worker in workers)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker);
        }

        var times = acquired.Order().ToArray();
        for (var i = 60; i < times.Length; i++)
        {
            Assert.True(times[i] - times[i - 60] >= TimeSpan.FromSeconds(60.5), $"61 acquisitions from {times[i - 60]:O} to {times[i]:O}");
        }

        // The burst, then 60 per 60.5 s + the skew, over three minutes: 179 with the default skew, 171 to 175 with 2 s (the
        // schedule follows the clocks that took the slots, so three true minutes hold 180 ± 2 s of it).
        var interval = (60.5 + skewSeconds) / 60;
        var spread = 2 * offsetSeconds;
        Assert.InRange(times.Length, (int)((180 - spread) / interval), 1 + (int)((180 + spread) / interval));

        // One read and one write of the row a slot (the reservation of each slot granted in the last two minutes was made
        // in them too, one slot earlier per instance), however many instances wait.
        Assert.True(slots > 100, $"{slots} slots");
        Assert.Equal(0, slotConflicts);
        Assert.Equal(2 * slots, slotCalls);
    }

    [Fact]
    public async Task A_pause_holds_every_instance_until_it_ends()
    {
        var clock = new TestClock(Start);
        var pausing = Limiter(clock, Options(perMinute: 61, jitter: TimeSpan.FromSeconds(1))); // refills 61 per 61 s: one a second
        var other = Limiter(clock, Options(perMinute: 61, jitter: TimeSpan.FromSeconds(1)));
        var impatient = Limiter(clock, Options(perMinute: 61, jitter: TimeSpan.FromSeconds(1), maxWait: TimeSpan.FromSeconds(5)));
        var until = Start + TimeSpan.FromSeconds(10);

        await pausing.PauseUntilAsync(until, Ct);

        Assert.Equal(until, await other.NextAvailableAsync(Ct));
        Assert.Equal(until, await pausing.NextAvailableAsync(Ct));
        Assert.False(await impatient.WaitAsync(Ct).WaitAsync(Patience)); // 10 s > MaxWait: answers at once instead of waiting
        var waiting = other.WaitAsync(Ct);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await waiting.WaitAsync(Patience));

        Assert.Equal(until, clock.GetUtcNow());
        Assert.Equal(until + TimeSpan.FromSeconds(1), await pausing.NextAvailableAsync(Ct));
        var warning = Assert.Single(_logs.Lines, line => line.Level == LogLevel.Warning);
        Assert.Equal(until, warning.Property<DateTimeOffset>("Until"));
        Assert.Contains(_logs.Lines, line => line.Level == LogLevel.Debug && line.Property<TimeSpan>("Wait") == TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_pause_never_moves_backwards()
    {
        var clock = new TestClock(Start);
        var first = Limiter(clock, Options());
        var second = Limiter(clock, Options());

        await first.PauseUntilAsync(Start + TimeSpan.FromSeconds(20), Ct);
        await second.PauseUntilAsync(Start + TimeSpan.FromSeconds(5), Ct);

        Assert.Equal(Start + TimeSpan.FromSeconds(20), await first.NextAvailableAsync(Ct));
        Assert.Equal(Start + TimeSpan.FromSeconds(20), (await ReadBucketAsync()).PausedUntil);
        Assert.Single(_logs.Lines, line => line.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Concurrent_pauses_from_many_instances_keep_the_latest()
    {
        var clock = new TestClock(Start);
        var pauses = Enumerable.Range(1, 8).Select(seconds => (Limiter(clock, Options()), Start + TimeSpan.FromSeconds(seconds * 7 % 17))).ToArray();
        using var go = new ManualResetEventSlim();

        var running = pauses.Select(p => Task.Run(async () =>
        {
            go.Wait();
            await p.Item1.PauseUntilAsync(p.Item2, Ct);
        })).ToArray();
        go.Set();
        await Task.WhenAll(running).WaitAsync(Patience);

        Assert.Equal(pauses.Max(p => p.Item2), (await ReadBucketAsync()).PausedUntil);
    }

    [Fact]
    public async Task WaitAsync_answers_false_without_taking_a_token_when_the_wait_exceeds_MaxWait()
    {
        var clock = new TestClock(Start);
        var options = Options(perMinute: 7, jitter: TimeSpan.FromSeconds(10), maxWait: TimeSpan.FromSeconds(5)); // burst 1, then 7 per 70 s: one every 10 s
        var limiter = Limiter(clock, options);
        var other = Limiter(clock, options);

        Assert.Equal(Start, await limiter.NextAvailableAsync(Ct));
        Assert.True(await limiter.WaitAsync(Ct).WaitAsync(Patience));
        var taken = await ReadBucketAsync();
        Assert.Equal(0, taken.Tokens);
        Assert.Equal(Start + TimeSpan.FromSeconds(10), await other.NextAvailableAsync(Ct));

        // Both answer without the clock moving, and leave the row untouched.
        Assert.False(await limiter.WaitAsync(Ct).WaitAsync(Patience));
        Assert.False(await other.WaitAsync(Ct).WaitAsync(Patience));
        var after = await ReadBucketAsync();
        Assert.Equal(taken.ETag, after.ETag);
        Assert.Equal(0, after.Tokens);

        // 5 s later the token is exactly MaxWait away: waited for, then taken.
        clock.Advance(TimeSpan.FromSeconds(5));
        var waiting = other.WaitAsync(Ct);
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(5));
        Assert.True(await waiting.WaitAsync(Patience));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), clock.GetUtcNow());
        Assert.Equal(Start + TimeSpan.FromSeconds(20), await limiter.NextAvailableAsync(Ct));
    }

    [Fact]
    public async Task Two_instances_racing_for_the_last_token_exactly_one_wins()
    {
        var clock = new TestClock(Start);
        var options = Options(maxWait: TimeSpan.Zero);
        // Both have read the row with its one token before either writes: one compare-and-swap must fail. Each instance's
        // storage client holds its write (an HTTP pipeline policy, as a slow instance would) until both have got there.
        var arrived = 0;
        var bothRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task BothReadAsync(CancellationToken ct)
        {
            if (Interlocked.Increment(ref arrived) == 2)
            {
                bothRead.TrySetResult();
            }

            await bothRead.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }

        var racers = new[] { Limiter(clock, options, new BeforeReplacePolicy(BothReadAsync)), Limiter(clock, options, new BeforeReplacePolicy(BothReadAsync)) };

        var results = await Task.WhenAll(racers.Select(racer => Task.Run(() => racer.WaitAsync(Ct)))).WaitAsync(Patience);

        Assert.Single(results, won => won);
        Assert.Equal(0, (await ReadBucketAsync()).Tokens);
        Assert.Single(_logs.Lines, line => line.Message.StartsWith("Another instance took the Fragment request slot first", StringComparison.Ordinal));
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public async Task Eight_instances_racing_on_a_fixed_clock_take_exactly_the_burst()
    {
        var clock = new TestClock(Start);
        var options = Options(burst: 3, maxWait: TimeSpan.Zero);
        var racers = Enumerable.Range(0, 8).Select(_ => Limiter(clock, options)).ToArray();
        using var go = new ManualResetEventSlim();

        var running = racers.Select(racer => Task.Run(async () =>
        {
            go.Wait();
            return await racer.WaitAsync(Ct);
        })).ToArray();
        go.Set();
        var results = await Task.WhenAll(running).WaitAsync(Patience);

        Assert.Equal(3, results.Count(won => won));
        Assert.Equal(0, (await ReadBucketAsync()).Tokens);
    }

    /// <summary>count ≤ burst 1 + window × 60 per 60.5 s, in whole ticks (doubles would make 123 s hold 122.99999… requests).</summary>
    private static bool WithinBudget(int count, TimeSpan window) => (count - 1L) * TimeSpan.FromSeconds(60.5).Ticks <= 60L * window.Ticks;

    private RateLimitOptions Options(int perMinute = 60, int burst = 1, TimeSpan? maxWait = null, TimeSpan? jitter = null, TimeSpan? clockSkew = null) => new()
    {
        RequestsPerMinute = perMinute,
        Burst = burst,
        JitterAllowance = jitter ?? TimeSpan.FromMilliseconds(500),
        ClockSkew = clockSkew ?? TimeSpan.Zero,
        Table = _table,
        MaxWait = maxWait ?? TimeSpan.FromSeconds(30),
    };

    /// <summary>A limiter as one app instance has it: its own client, the shared table.</summary>
    private DistributedRateLimiter Limiter(TimeProvider clock, RateLimitOptions options, Azure.Core.Pipeline.HttpPipelinePolicy? policy = null)
    {
        var clientOptions = new TableClientOptions();
        if (policy is not null)
        {
            clientOptions.AddPolicy(policy, policy is StorageCalls ? Azure.Core.HttpPipelinePosition.PerRetry : Azure.Core.HttpPipelinePosition.PerCall);
        }

        return new(new TableServiceClient(_azurite.ConnectionString, clientOptions), options, clock, _loggers.CreateLogger<DistributedRateLimiter>());
    }

    /// <summary>Counts every try the clients it is added to send (Azurite sees only these limiters' calls on the table), and the 412s.</summary>
    private sealed class StorageCalls : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _count;
        private int _conflicts;

        public int Count => Volatile.Read(ref _count);

        public int Conflicts => Volatile.Read(ref _conflicts);

        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _count);
            await ProcessNextAsync(message, pipeline);
            if (message.Response.Status == 412)
            {
                Interlocked.Increment(ref _conflicts);
            }
        }

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The limiter calls storage asynchronously.");
    }

    /// <summary>Runs <paramref name="before"/> ahead of every compare-and-swap write (a PUT with If-Match) the client sends.</summary>
    private sealed class BeforeReplacePolicy(Func<CancellationToken, Task> before) : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == Azure.Core.RequestMethod.Put && message.Request.Headers.TryGetValue("If-Match", out _))
            {
                await before(message.CancellationToken);
            }

            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);
    }

    private async Task<RateLimitBucket> ReadBucketAsync() =>
        (await new TableClient(_azurite.ConnectionString, _table)
            .GetEntityAsync<RateLimitBucket>(DistributedRateLimiter.PartitionKey, DistributedRateLimiter.RowKey)).Value;
}
