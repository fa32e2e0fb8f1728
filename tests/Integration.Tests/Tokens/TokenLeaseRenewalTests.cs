using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tokens;

/// <summary>
/// A refresh slower than the refresh lease: the holder renews the lease while its token call runs, so another instance
/// that tries meanwhile waits instead of redeeming the (rotating) refresh token a second time. Real time throughout:
/// Azurite expires leases on its own clock, so the slow token answer (the lease's 15 s plus 5 s) is the scenario.
/// </summary>
public sealed class TokenLeaseRenewalTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    protected override SandboxOptions SandboxOptions => new() { RotateRefreshToken = true };

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tokens:LockLeaseDuration"] = "00:00:15",
        ["Tokens:LockPollInterval"] = "00:00:00.500",
        ["Tokens:LockWaitTimeout"] = "00:01:00",
        ["Dragonfruit:AttemptTimeout"] = "00:00:40",
        ["Dragonfruit:TotalTimeout"] = "00:00:40",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(TimeProvider.System);

    [Fact]
    public async Task A_second_instance_does_not_refresh_while_a_refresh_slower_than_the_lease_runs()
    {
        await using var other = await StartAppAsync(AppSettings, services: ConfigureServices);
        Sandbox.Faults.Enqueue(Tokens, new Fault { Delay = Lease + TimeSpan.FromSeconds(5) });

        var first = App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        await Sandbox.Calls.WaitForCallAsync(Tokens, 1, CancellationToken.None);
        var second = other.Refresher.RefreshIfDueAsync(CancellationToken.None);
        var outcomes = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.IsType<TokenRefreshOutcome.Refreshed>(outcomes[0]);
        Assert.IsType<TokenRefreshOutcome.NotDue>(outcomes[1]); // it waited out the whole slow refresh, then found its tokens
        Assert.Equal(1, Sandbox.Calls.Count(Tokens)); // the refresh token was redeemed once
        Assert.Equal(1, Sandbox.Secrets.VersionCount(IdSecret));
        Assert.Contains(App.Logs.Lines, line => line.Message.StartsWith("Renewed the token refresh lease", StringComparison.Ordinal));
        Assert.Contains(other.Logs.Lines, line => line.Message.StartsWith("Another instance is refreshing", StringComparison.Ordinal));
    }
}
