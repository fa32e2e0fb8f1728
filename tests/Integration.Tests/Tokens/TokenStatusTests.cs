using Integration.Operations;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tokens;

/// <summary>What <c>GET ops/tokens</c> (the console's token view) shows: expiry from Key Vault, last refresh and last failure from the refresh journal, never a value.</summary>
public sealed class TokenStatusTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private TokenStatusQuery Status => App.Services.GetRequiredService<TokenStatusQuery>();

    [Fact]
    public async Task Before_any_refresh_the_bearer_is_missing_and_nothing_is_recorded()
    {
        var status = await Status.GetAsync(CancellationToken.None);

        Assert.Equal((IdSecret, "missing", null), (status.BearerSecretName, status.BearerState, status.BearerExpiresOn));
        Assert.Null(status.LastRefreshAt);
        Assert.Null(status.LastFailureAt);
    }

    [Fact]
    public async Task A_refresh_then_a_rejected_one_show_the_expiry_the_last_refresh_and_the_failure()
    {
        var refreshedAt = App.Clock.GetUtcNow();
        var refreshed = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        App.Clock.Advance(TimeSpan.FromMinutes(50)); // inside the 15-minute margin: the next tick refreshes
        Sandbox.Faults.Enqueue(Tokens, Fault.WithStatus(401, body: """{"success":false,"message":"refresh token revoked"}"""));
        var failedAt = App.Clock.GetUtcNow();
        await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        var status = await Status.GetAsync(CancellationToken.None);

        Assert.Equal(Assert.IsType<TokenRefreshOutcome.Refreshed>(refreshed).ExpiresOn, status.BearerExpiresOn);
        Assert.Equal("refresh-due", status.BearerState);
        Assert.Equal(refreshedAt, status.LastRefreshAt);
        Assert.Equal(failedAt, status.LastFailureAt);
        Assert.Contains("HTTP 401", status.LastFailure, StringComparison.Ordinal);
        Assert.Equal(failedAt, status.LastAttemptAt);
        var shown = Integration.Operations.OpsJson.Serialize(status);
        Assert.DoesNotContain(StoredIdToken!, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Sandbox.CurrentRefreshToken, shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bearer_past_its_expiry_shows_as_expired()
    {
        await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        App.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal("expired", (await Status.GetAsync(CancellationToken.None)).BearerState);
    }
}
