using Integration.Tests.Fixtures;

namespace Integration.Tests.Tokens;

public sealed class TokenProviderTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    [Fact]
    public async Task Bearer_is_served_from_memory_until_shortly_before_expiry_then_reread_from_Key_Vault()
    {
        var first = await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);
        var readsAfterFirst = KeyVaultReads();

        App.Clock.Advance(TimeSpan.FromMinutes(50));
        var cached = await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);
        Assert.Equal(readsAfterFirst, KeyVaultReads());

        Sandbox.Secrets.Set(IdSecret, "eyJrotated-by-the-timer", App.Clock.GetUtcNow().AddHours(1)); // what another instance's timer would write
        App.Clock.Advance(TimeSpan.FromMinutes(9)); // 1 minute left, inside the 2 minute cache skew
        var reread = await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);

        Assert.Equal(first, cached);
        Assert.Equal("eyJrotated-by-the-timer", reread);
        Assert.True(KeyVaultReads() > readsAfterFirst);
        Assert.Equal(1, Sandbox.Calls.Count(Tokens));
    }

    [Fact]
    public async Task Access_token_is_the_bearer_when_configured()
    {
        await using var app = await StartAppAsync(new Dictionary<string, string?> { ["Tokens:BearerToken"] = "AccessToken" });

        var bearer = await app.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None);

        Assert.Equal(Sandbox.Secrets.GetValue(AccessSecret), bearer);
        Assert.NotEqual(StoredIdToken, bearer);
    }

    [Fact]
    public async Task Fragment_token_comes_from_Key_Vault_and_a_rotation_is_seen_after_the_cache_ttl()
    {
        Sandbox.Secrets.Set("fragment-api-token", "fragment-token-1");
        var first = await App.FragmentTokens.GetApiTokenAsync(CancellationToken.None);
        Sandbox.Secrets.Set("fragment-api-token", "fragment-token-2");

        var beforeTtl = await App.FragmentTokens.GetApiTokenAsync(CancellationToken.None);
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        var afterTtl = await App.FragmentTokens.GetApiTokenAsync(CancellationToken.None);

        Assert.Equal(["fragment-token-1", "fragment-token-1", "fragment-token-2"], new[] { first, beforeTtl, afterTtl });
    }

    [Fact]
    public async Task Missing_Fragment_token_names_the_secret_to_set()
    {
        var thrown = await Assert.ThrowsAsync<Integration.Tokens.TokenRefreshFailedException>(
            async () => await App.FragmentTokens.GetApiTokenAsync(CancellationToken.None));

        Assert.Contains("'fragment-api-token'", thrown.Message, StringComparison.Ordinal);
    }

    private int KeyVaultReads() => Sandbox.Calls.For("keyvault").Count(call => call.Method == "GET");
}
