using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Integration.Tests.Common;

[Collection(AzuriteCollection.Name)]
public sealed class OptionsValidationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PartnerSandbox _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await PartnerSandbox.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Theory]
    [InlineData("KeyVault:VaultUri", "", "VaultUri")]
    [InlineData("KeyVault:VaultUri", "http://127.0.0.1:1/", "must be an https URI")]
    [InlineData("Dragonfruit:AttemptTimeout", "00:01:00", "must not exceed Dragonfruit:TotalTimeout")]
    [InlineData("Dragonfruit:TotalTimeout", "00:02:00", "must be shorter than Tokens:LockWaitTimeout")]
    [InlineData("TokenRefreshSchedule", "every five minutes", "is not a six-field NCRONTAB expression")]
    [InlineData("Tokens:IdTokenSecretName", "has spaces", "IdTokenSecretName")]
    [InlineData("Tokens:BearerToken", "RefreshToken", "BearerToken")]
    [InlineData("Storage:ConnectionString", "", "Set exactly one of Storage:ConnectionString")]
    [InlineData("Storage:Retry:NetworkTimeout", "00:00:00", "Storage:Retry:NetworkTimeout must be above 0")]
    [InlineData("Storage:Retry:MaxDelay", "00:00:00.100", "Storage:Retry:MaxDelay (00:00:00.1000000) must be at least Storage:Retry:Delay")]
    [InlineData("KeyVault:Retry:MaxRetries", "11", "KeyVault:Retry:MaxRetries must be 0 to 10")]
    [InlineData("Fragment:RateLimit:Burst", "61", "Burst must not exceed Fragment:RateLimit:RequestsPerMinute")]
    [InlineData("Fragment:RateLimit:JitterAllowance", "00:00:00", "JitterAllowance")]
    [InlineData("Fragment:RateLimit:ClockSkew", "-00:00:01", "ClockSkew")]
    [InlineData("Imports:StartCheckBytes", "10", "StartCheckBytes")]
    [InlineData("Tasks:ClaimDuration", "00:00:50", "Tasks:ClaimDuration must be longer than Fragment:TotalTimeout + Fragment:RateLimit:MaxWait")]
    public async Task Invalid_settings_stop_the_host_at_start_with_a_message_naming_them(string key, string value, string expected)
    {
        var settings = IntegrationHost.Settings(_sandbox, azurite, "locks-validation");
        settings[key] = value;

        var thrown = await Record.ExceptionAsync(() => IntegrationHost.StartAsync(settings));

        Assert.NotNull(thrown);
        Assert.Contains(expected, thrown.Message, StringComparison.Ordinal);
        Assert.True(thrown is OptionsValidationException or AggregateException or InvalidOperationException, thrown.GetType().FullName);
    }
}
