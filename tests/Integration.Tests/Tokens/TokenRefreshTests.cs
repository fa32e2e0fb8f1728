using System.Text.Json;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tokens;

namespace Integration.Tests.Tokens;

public sealed class TokenRefreshTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    [Fact]
    public async Task Refresh_with_nothing_stored_stores_both_tokens_with_their_expiry()
    {
        var outcome = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        var refreshed = Assert.IsType<TokenRefreshOutcome.Refreshed>(outcome);
        var expected = App.Clock.GetUtcNow().AddSeconds(3600);
        Assert.InRange(refreshed.ExpiresOn, expected.AddSeconds(-1), expected);
        Assert.Equal(refreshed.ExpiresOn, Sandbox.Secrets.GetExpiresOn(IdSecret));
        Assert.Equal(refreshed.ExpiresOn, Sandbox.Secrets.GetExpiresOn(AccessSecret));
        Assert.StartsWith("eyJ", StoredIdToken);
        Assert.NotEqual(StoredIdToken, Sandbox.Secrets.GetValue(AccessSecret));

        var call = Assert.Single(Sandbox.Calls.For(Tokens));
        Assert.Equal("POST", call.Method);
        using var body = JsonDocument.Parse(call.Body!);
        Assert.Equal(Sandbox.CurrentRefreshToken, body.RootElement.GetProperty("refreshToken").GetString());
        Assert.StartsWith("Integration/", call.Headers["user-agent"]);
        Assert.False(call.Headers.ContainsKey("authorization"), "the token call must not carry any bearer");
    }

    [Fact]
    public async Task Refresh_that_is_not_due_does_not_call_the_partner()
    {
        await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        App.Clock.Advance(TimeSpan.FromMinutes(40)); // 20 minutes left, margin is 15

        var outcome = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        Assert.IsType<TokenRefreshOutcome.NotDue>(outcome);
        Assert.Equal(1, Sandbox.Calls.Count(Tokens));
        Assert.Equal(1, Sandbox.Secrets.VersionCount(IdSecret));
    }

    [Fact]
    public async Task Refresh_within_the_margin_or_past_due_calls_the_partner_again()
    {
        await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        var first = StoredIdToken;

        App.Clock.Advance(TimeSpan.FromMinutes(50)); // 10 minutes left: inside the 15 minute margin
        Assert.IsType<TokenRefreshOutcome.Refreshed>(await App.Refresher.RefreshIfDueAsync(CancellationToken.None));
        var second = StoredIdToken;

        App.Clock.Advance(TimeSpan.FromHours(3)); // a tick that comes long after expiry
        var pastDue = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        Assert.IsType<TokenRefreshOutcome.Refreshed>(pastDue);
        Assert.Equal(3, Sandbox.Calls.Count(Tokens));
        Assert.Equal(3, new[] { first, second, StoredIdToken }.Distinct().Count());
        Assert.Contains(App.Logs.Lines, line => line.Message.Contains("past due True", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forced_refresh_after_a_401_replaces_a_token_that_is_not_due()
    {
        var rejected = await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);

        var replacement = await App.DragonfruitTokens.RefreshAfterUnauthorizedAsync(rejected, CancellationToken.None);

        Assert.NotEqual(rejected, replacement);
        Assert.Equal(StoredIdToken, replacement);
        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
        Assert.Equal(replacement, await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Forced_refresh_for_a_token_already_replaced_does_not_call_the_partner()
    {
        var rejected = await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);
        var replacement = await App.DragonfruitTokens.RefreshAfterUnauthorizedAsync(rejected, CancellationToken.None);

        var late = await App.DragonfruitTokens.RefreshAfterUnauthorizedAsync(rejected, CancellationToken.None);

        Assert.Equal(replacement, late);
        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Rejected_refresh_token_is_not_retried_and_the_stored_tokens_stay(int status)
    {
        await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        var kept = StoredIdToken;
        Sandbox.Faults.Enqueue(Tokens, Fault.WithStatus(status, body: """{"success":false,"message":"Refresh token revoked"}"""));
        App.Clock.Advance(TimeSpan.FromHours(2));

        var outcome = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        var rejected = Assert.IsType<TokenRefreshOutcome.Rejected>(outcome);
        Assert.Equal(status, rejected.Status);
        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
        Assert.Equal(kept, StoredIdToken);
        Assert.Equal(1, Sandbox.Secrets.VersionCount(IdSecret));
        var error = Assert.Single(App.Logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Contains($"Key Vault secret '{RefreshSecret}'", error.Message, StringComparison.Ordinal);
        var thrown = Assert.Throws<TokenRefreshFailedException>(outcome.ThrowIfFailed);
        Assert.Contains(RefreshSecret, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"success":false,"message":"Token service unavailable"}""")]
    [InlineData("""{"success":true}""")]
    [InlineData("""{"success":true,"data":{"TokenType":"Bearer","ExpiresIn":3600}}""")]
    [InlineData("""{"success":true,"data":{"IdToken":"eyJabc","AccessToken":"eyJdef","ExpiresIn":"soon"}}""")]
    [InlineData("""{"success":true,"data":{"IdToken":null,"AccessToken":"eyJdef","ExpiresIn":3600}}""")]
    [InlineData("[]")]
    public async Task Answer_without_usable_tokens_is_a_failure_and_nothing_is_stored(string body)
    {
        Sandbox.Faults.Enqueue(Tokens, Fault.SuccessBody(body));

        var outcome = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);

        Assert.IsType<TokenRefreshOutcome.Failed>(outcome);
        Assert.False(outcome.Succeeded);
        Assert.Equal(1, Sandbox.Calls.Count(Tokens));
        Assert.Null(StoredIdToken);
        Assert.Null(Sandbox.Secrets.GetValue(AccessSecret));
        Assert.Throws<TokenRefreshFailedException>(outcome.ThrowIfFailed);
    }

    [Fact]
    public async Task Missing_refresh_token_secret_is_reported_by_name()
    {
        await using var sandbox = await PartnerSandbox.StartAsync();
        await using var app = await IntegrationHost.StartAsync(IntegrationHost.Settings(sandbox, Azurite, LockContainer));

        var outcome = await app.Refresher.RefreshIfDueAsync(CancellationToken.None);

        var failed = Assert.IsType<TokenRefreshOutcome.Failed>(outcome);
        Assert.Contains($"'{RefreshSecret}'", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(0, sandbox.Calls.Count(Tokens));
    }

    [Fact]
    public async Task Rotated_refresh_token_is_stored_and_used_next_time()
    {
        await using var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { RotateRefreshToken = true });
        sandbox.Secrets.Set(RefreshSecret, sandbox.CurrentRefreshToken);
        await using var app = await IntegrationHost.StartAsync(IntegrationHost.Settings(sandbox, Azurite, LockContainer));

        var first = Assert.IsType<TokenRefreshOutcome.Refreshed>(await app.Refresher.RefreshIfDueAsync(CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromHours(2));
        var second = await app.Refresher.RefreshIfDueAsync(CancellationToken.None);

        Assert.True(first.RefreshTokenRotated);
        Assert.IsType<TokenRefreshOutcome.Refreshed>(second);
        Assert.Equal(sandbox.CurrentRefreshToken, sandbox.Secrets.GetValue(RefreshSecret));
        Assert.Equal(3, sandbox.Secrets.VersionCount(RefreshSecret));
    }
}
