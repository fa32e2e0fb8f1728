using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tokens;

namespace Integration.Tests.Tokens;

/// <summary>Every log record of refreshes that succeed and fail, searched for every secret involved.</summary>
public sealed class TokenSecrecyTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    [Fact]
    public async Task No_token_or_secret_appears_in_any_log_record_or_exception()
    {
        var firstRefreshToken = Sandbox.CurrentRefreshToken;
        await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        var firstBearer = await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);
        var firstAccess = Sandbox.Secrets.GetValue(AccessSecret)!;

        // A forced refresh, an error body that echoes the refresh token, and a malformed answer echoing a bearer.
        var secondBearer = await App.DragonfruitTokens.RefreshAfterUnauthorizedAsync(firstBearer, CancellationToken.None);
        Sandbox.Faults.Enqueue(Tokens, Fault.WithStatus(401, body: $$$"""{"success":false,"message":"bad token","refreshToken":"{{{firstRefreshToken}}}"}"""));
        App.Clock.Advance(TimeSpan.FromHours(2));
        var rejected = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        Sandbox.Faults.Enqueue(Tokens, Fault.SuccessBody($$$"""{"success":true,"data":{"AccessToken":"{{{firstAccess}}}","IdToken":"{{{secondBearer}}}"}}"""));
        var malformed = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        Sandbox.Faults.Enqueue(Tokens, Fault.WithStatus(403));
        var thrown = await Assert.ThrowsAsync<TokenRefreshFailedException>(async () => await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None));

        Assert.IsType<TokenRefreshOutcome.Rejected>(rejected);
        Assert.IsType<TokenRefreshOutcome.Failed>(malformed);
        var everything = string.Join('\n', App.Logs.AllText, thrown.ToString(), rejected.ToString(), malformed.ToString(), rejected.Describe(), malformed.Describe());
        Assert.Contains("Dragonfruit rejected the refresh token", everything, StringComparison.Ordinal); // the logs were captured
        Assert.Contains("Azure.Core", App.Logs.AllText, StringComparison.Ordinal);                   // including the Azure SDK's own
        string[] secrets = [firstRefreshToken, firstBearer, firstAccess, secondBearer, Sandbox.Secrets.GetValue(AccessSecret)!, "local-emulator-token"];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }
}
