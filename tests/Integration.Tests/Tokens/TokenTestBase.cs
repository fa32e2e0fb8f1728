using Integration.Sandbox;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Tokens;

/// <summary>A fresh sandbox (partner + Key Vault) holding a valid refresh token, and the app composed against it.</summary>
[Collection(AzuriteCollection.Name)]
public abstract class TokenTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    protected const string RefreshSecret = "dragonfruit-refresh-token";
    protected const string IdSecret = "dragonfruit-id-token";
    protected const string AccessSecret = "dragonfruit-access-token";
    protected const string Tokens = "tokens";

    protected AzuriteFixture Azurite { get; } = azurite;
    protected PartnerSandbox Sandbox { get; private set; } = null!;
    protected IntegrationHost App { get; private set; } = null!;
    protected string LockContainer { get; } = $"locks-{Guid.NewGuid():N}"[..20];

    protected virtual SandboxOptions SandboxOptions => new();

    /// <summary>Settings this class's app gets on top of the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? AppSettings => null;

    public virtual async Task InitializeAsync()
    {
        Sandbox = await PartnerSandbox.StartAsync(SandboxOptions);
        Sandbox.Secrets.Set(RefreshSecret, Sandbox.CurrentRefreshToken);
        App = await StartAppAsync(AppSettings, services: ConfigureServices);
    }

    /// <summary>Services this class's app gets on top of the app's own.</summary>
    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    protected Task<IntegrationHost> StartAppAsync(IReadOnlyDictionary<string, string?>? overrides = null, TestClock? clock = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var settings = IntegrationHost.Settings(Sandbox, Azurite, LockContainer);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return IntegrationHost.StartAsync(settings, clock, services);
    }

    /// <summary>The bearer the token endpoint issued most recently, as stored in the sandbox vault.</summary>
    protected string? StoredIdToken => Sandbox.Secrets.GetValue(IdSecret);
}
