using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tokens;

namespace Integration.Tests.Tokens;

/// <summary>However many callers or instances ask at once, the partner sees one token call.</summary>
public sealed class TokenSingleFlightTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    [Fact]
    public async Task Twenty_concurrent_refreshes_make_exactly_one_partner_call()
    {
        var gate = HoldNextTokenCall();

        var joined = 0;
        var allJoined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refreshes = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            var refresh = App.Refresher.RefreshIfDueAsync(CancellationToken.None);
            if (Interlocked.Increment(ref joined) == 20)
            {
                allJoined.SetResult();
            }

            return await refresh;
        })).ToArray();
        await Sandbox.Calls.WaitForCallAsync(Tokens, 1, CancellationToken.None);
        await allJoined.Task.WaitAsync(TimeSpan.FromSeconds(30));
        gate.SetResult();
        var outcomes = await Task.WhenAll(refreshes);

        Assert.Equal(1, Sandbox.Calls.Count(Tokens));
        Assert.All(outcomes, outcome => Assert.IsType<TokenRefreshOutcome.Refreshed>(outcome));
        Assert.Single(outcomes.Distinct());
        Assert.Equal(1, Sandbox.Secrets.VersionCount(IdSecret));
    }

    [Fact]
    public async Task Twenty_concurrent_callers_without_a_stored_token_share_one_refresh()
    {
        var gate = HoldNextTokenCall();

        var bearers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () => await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None))).ToArray();
        await Sandbox.Calls.WaitForCallAsync(Tokens, 1, CancellationToken.None);
        gate.SetResult();
        var tokens = await Task.WhenAll(bearers);

        Assert.Equal(1, Sandbox.Calls.Count(Tokens));
        Assert.Equal(StoredIdToken, Assert.Single(tokens.Distinct()));
    }

    [Fact]
    public async Task Twenty_concurrent_401_reports_for_the_same_token_force_one_refresh()
    {
        var rejected = await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);
        var gate = HoldNextTokenCall();

        var forced = Enumerable.Range(0, 20)
            .Select(_ => Task.Run(async () => await App.DragonfruitTokens.RefreshAfterUnauthorizedAsync(rejected, CancellationToken.None)))
            .ToArray();
        await Sandbox.Calls.WaitForCallAsync(Tokens, 2, CancellationToken.None);
        gate.SetResult();
        var replacements = await Task.WhenAll(forced);

        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
        var replacement = Assert.Single(replacements.Distinct());
        Assert.NotEqual(rejected, replacement);
    }

    [Fact]
    public async Task Second_instance_waits_for_the_first_instances_lease_and_reuses_its_tokens()
    {
        await using var other = await StartAppAsync();
        var gate = HoldNextTokenCall();

        var first = App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        await Sandbox.Calls.WaitForCallAsync(Tokens, 1, CancellationToken.None);
        var second = other.Refresher.RefreshIfDueAsync(CancellationToken.None);
        await other.Logs.WaitForAsync(line => line.Message.StartsWith("Another instance is refreshing", StringComparison.Ordinal));
        gate.SetResult();
        Assert.IsType<TokenRefreshOutcome.Refreshed>(await first);
        await other.Clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));

        Assert.IsType<TokenRefreshOutcome.NotDue>(await second);
        Assert.Equal(1, Sandbox.Calls.Count(Tokens));
        Assert.Equal(1, Sandbox.Secrets.VersionCount(IdSecret));
    }

    /// <summary>The next get_new_tokens call waits until the returned source completes.</summary>
    private TaskCompletionSource HoldNextTokenCall()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Sandbox.Faults.Enqueue(Tokens, new Fault { Gate = gate });
        return gate;
    }
}
