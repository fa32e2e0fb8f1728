using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tokens;

namespace Integration.Tests.Tokens;

/// <summary>Transient answers from get_new_tokens are retried on the injected clock; time moves only when the code waits.</summary>
public sealed class TokenRefreshRetryTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Too_many_requests_then_success_waits_exactly_the_Retry_After()
    {
        Sandbox.Faults.Enqueue(Tokens, Fault.WithStatus(429, retryAfter: TimeSpan.FromSeconds(7)));

        var refresh = App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        var retry = await NextRetryAsync(1);
        await App.Clock.AdvanceWhenWaitingAsync(retry.Delay);

        Assert.IsType<TokenRefreshOutcome.Refreshed>(await refresh);
        Assert.Equal(TimeSpan.FromSeconds(7), retry.Delay);
        Assert.Equal("HTTP 429", retry.Outcome);
        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
        var calls = Sandbox.Calls.For(Tokens);
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.Zero);
        Assert.NotNull(StoredIdToken);
    }

    [Fact]
    public async Task Two_server_errors_then_success_backs_off_and_stores_tokens()
    {
        Sandbox.Faults.Enqueue(Tokens, Fault.WithStatus(500), Fault.WithStatus(503));

        var refresh = App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        var first = await NextRetryAsync(1);
        await App.Clock.AdvanceWhenWaitingAsync(first.Delay);
        var second = await NextRetryAsync(2);
        await App.Clock.AdvanceWhenWaitingAsync(second.Delay);

        Assert.IsType<TokenRefreshOutcome.Refreshed>(await refresh);
        Assert.Equal(3, Sandbox.Calls.Count(Tokens));
        Assert.Equal(["HTTP 500", "HTTP 503"], new[] { first.Outcome, second.Outcome });
        Assert.All(new[] { first.Delay, second.Delay }, delay => Assert.InRange(delay, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(20)));
        Assert.NotNull(StoredIdToken);
    }

    [Fact]
    public async Task Server_errors_beyond_the_retry_budget_fail_without_touching_the_vault()
    {
        // Delays capped at 5 s, so four retries stay inside the 45 s total timeout whatever the jitter.
        await using var app = await StartAppAsync(new Dictionary<string, string?> { ["Dragonfruit:RetryMaxDelay"] = "00:00:05" });
        Sandbox.Faults.Enqueue(Tokens, Enumerable.Range(0, 5).Select(_ => Fault.WithStatus(502)).ToArray());

        var refresh = app.Refresher.RefreshIfDueAsync(CancellationToken.None);
        for (var retry = 1; retry <= 4; retry++)
        {
            var (delay, _) = await NextRetryAsync(app, retry);
            Assert.InRange(delay, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
            await app.Clock.AdvanceWhenWaitingAsync(delay);
        }

        var failed = Assert.IsType<TokenRefreshOutcome.Failed>(await refresh);
        Assert.Contains("HTTP 502", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(5, Sandbox.Calls.Count(Tokens));
        Assert.Null(StoredIdToken);
    }

    [Fact]
    public async Task Answer_that_never_comes_times_out_and_is_retried()
    {
        Sandbox.Faults.Enqueue(Tokens, new Fault { Hang = true });

        var refresh = App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        await Sandbox.Calls.WaitForCallAsync(Tokens, 1, CancellationToken.None);
        await App.Clock.AdvanceWhenWaitingAsync(AttemptTimeout);
        var retry = await NextRetryAsync(1);
        await App.Clock.AdvanceWhenWaitingAsync(retry.Delay);

        Assert.IsType<TokenRefreshOutcome.Refreshed>(await refresh);
        Assert.Equal("attempt timed out", retry.Outcome);
        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
    }

    [Fact]
    public async Task Dropped_connection_is_retried()
    {
        Sandbox.Faults.Enqueue(Tokens, new Fault { DropConnection = true });

        var refresh = App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        var retry = await NextRetryAsync(1);
        await App.Clock.AdvanceWhenWaitingAsync(retry.Delay);

        Assert.IsType<TokenRefreshOutcome.Refreshed>(await refresh);
        Assert.Equal(nameof(HttpRequestException), retry.Outcome);
        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
    }

    [Fact]
    public async Task Request_timeout_408_is_not_retried()
    {
        Sandbox.Faults.Enqueue(Tokens, Fault.WithStatus(408));

        var outcome = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        Assert.IsType<TokenRefreshOutcome.Rejected>(outcome);
        Assert.Equal(1, Sandbox.Calls.Count(Tokens));
    }

    private Task<(TimeSpan Delay, string Outcome)> NextRetryAsync(int number) => NextRetryAsync(App, number);

    private static async Task<(TimeSpan Delay, string Outcome)> NextRetryAsync(IntegrationHost app, int number)
    {
        var line = await app.Logs.WaitForAsync(l => l.Property<int>("RetryNumber") == number);
        return (line.Property<TimeSpan>("RetryDelay"), line.Property<string>("Outcome")!);
    }
}
