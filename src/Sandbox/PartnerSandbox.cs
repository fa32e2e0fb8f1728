using System.Security.Cryptography.X509Certificates;
using Integration.Sandbox.Dragonfruit;
using Integration.Sandbox.Fragment;
using Integration.Sandbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integration.Sandbox;

/// <summary>
/// In-process fakes of the SaaS partners (plain HTTP) and of Azure Key Vault's secrets API (HTTPS, self-signed),
/// each on a free loopback port.
/// </summary>
public sealed class PartnerSandbox : IAsyncDisposable
{
    private readonly WebApplication partner;
    private readonly WebApplication vault;
    private readonly X509Certificate2 certificate;
    private readonly RefreshTokenState refreshTokens;
    private readonly IssuedTokens issuedTokens;
    private readonly ImportLog imports;
    private readonly FragmentToken fragmentToken;
    private readonly FragmentRateLimit fragmentRateLimit;
    private readonly CancellationTokenSource stopping;
    private readonly ILogger logger;
    private int disposed;

    private PartnerSandbox(
        WebApplication partner,
        WebApplication vault,
        X509Certificate2 certificate,
        SandboxState state,
        CancellationTokenSource stopping,
        ILogger logger)
    {
        this.partner = partner;
        this.vault = vault;
        this.certificate = certificate;
        this.stopping = stopping;
        this.logger = logger;
        refreshTokens = state.RefreshTokens;
        issuedTokens = state.IssuedTokens;
        imports = state.Imports;
        fragmentToken = state.FragmentToken;
        fragmentRateLimit = state.FragmentRateLimit;
        Tasks = state.Tasks;
        Faults = state.Faults;
        Calls = state.Calls;
        Secrets = state.Secrets;
        PartnerBaseUri = SandboxHost.BoundUri(partner);
        KeyVaultUri = SandboxHost.BoundUri(vault);
        KeyVaultCertificateThumbprint = certificate.Thumbprint;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>: Dragonfruit, Fragment and <c>/_sandbox/*</c> admin routes.</summary>
    public Uri PartnerBaseUri { get; }

    /// <summary><c>https://127.0.0.1:{port}/</c>: the Key Vault secrets API.</summary>
    public Uri KeyVaultUri { get; }

    /// <summary>SHA-1 thumbprint (uppercase hex) of the self-signed certificate served on <see cref="KeyVaultUri"/>.</summary>
    public string KeyVaultCertificateThumbprint { get; }

    public Uri TokenUrl => new(PartnerBaseUri, "get_new_tokens");

    public FaultInjector Faults { get; }

    public CallLog Calls { get; }

    /// <summary>Direct view of the Key Vault store, for test setup and assertions.</summary>
    public SandboxSecrets Secrets { get; }

    /// <summary>The refresh token the token endpoint accepts right now.</summary>
    public string CurrentRefreshToken => refreshTokens.Current;

    /// <summary>Every Dragonfruit bulk import answered 200, in completion order, with what each uploaded sheet contained.</summary>
    public IReadOnlyList<ReceivedImport> Imports => imports.All;

    /// <summary>Fragment's stored tasks and the history of successful <c>PUT /tasks/{uid}</c>.</summary>
    public SandboxTasks Tasks { get; }

    /// <summary>How many requests to <c>/tasks/*</c> Fragment answered 429 because of <see cref="SandboxOptions.FragmentRequestsPerMinute"/>.</summary>
    public int FragmentRateLimited => fragmentRateLimit.Refused;

    /// <summary>The bearer the Key Vault endpoint accepts (a local stand-in for an Entra ID token).</summary>
    public string KeyVaultAccessToken { get; private init; } = "";

    /// <summary>The app settings (<c>Section:Key</c>) that point the Integration app at this sandbox.</summary>
    public Dictionary<string, string?> AppSettings() => new()
    {
        ["KeyVault:VaultUri"] = KeyVaultUri.ToString(),
        ["KeyVault:EmulatorCertificateThumbprint"] = KeyVaultCertificateThumbprint,
        ["KeyVault:EmulatorAccessToken"] = KeyVaultAccessToken,
        ["Dragonfruit:BaseUrl"] = PartnerBaseUri.ToString(),
        ["Dragonfruit:TokenUrl"] = TokenUrl.ToString(),
        ["Fragment:BaseUrl"] = PartnerBaseUri.ToString(),
    };

    public static async Task<PartnerSandbox> StartAsync(SandboxOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        options ??= new SandboxOptions();
        options.Validate();
        var loggers = new SandboxLoggerFactory(loggerFactory ?? NullLoggerFactory.Instance);
        var logger = loggers.CreateLogger<PartnerSandbox>();
        var stopping = new CancellationTokenSource();
        var state = new SandboxState(
            options,
            new FaultInjector(),
            new CallLog(),
            new SandboxSecrets(options.TimeProvider),
            new RefreshTokenState(options.DragonfruitRefreshToken),
            new IssuedTokens(options.TimeProvider),
            new ImportLog(),
            new SandboxTasks(options.TimeProvider),
            new FragmentToken(options.FragmentApiToken),
            new FragmentRateLimit(options.FragmentRequestsPerMinute, options.TimeProvider),
            stopping.Token);

        var certificate = SandboxCertificate.LoadOrCreate(options.CertificatePath, logger);
        WebApplication? partner = null;
        WebApplication? vault = null;
        try
        {
            partner = PartnerApp.Build(state, loggers);
            vault = KeyVaultApp.Build(state, loggers, certificate);
            await partner.StartAsync(ct);
            await vault.StartAsync(ct);
        }
        catch
        {
            await StopAsync(partner, vault, stopping);
            certificate.Dispose();
            throw;
        }

        var sandbox = new PartnerSandbox(partner, vault, certificate, state, stopping, logger) { KeyVaultAccessToken = options.KeyVaultAccessToken };
        logger.LogInformation(
            "Partner sandbox listening on {PartnerBaseUri}, Key Vault on {KeyVaultUri} (certificate {Thumbprint})",
            sandbox.PartnerBaseUri,
            sandbox.KeyVaultUri,
            sandbox.KeyVaultCertificateThumbprint);
        return sandbox;
    }

    /// <summary>
    /// Makes every IdToken and AccessToken issued so far unacceptable to Dragonfruit's API routes (the refresh token stays valid),
    /// so the next API call gets 401 and the client has to refresh.
    /// </summary>
    public void RevokeIssuedTokens()
    {
        issuedTokens.RevokeAll();
        logger.LogInformation("Partner sandbox revoked all issued Dragonfruit tokens");
    }

    /// <summary>Makes Fragment accept only <paramref name="newToken"/> from now on (the previous token is revoked at once).</summary>
    public void RotateFragmentToken(string newToken)
    {
        fragmentToken.Replace(newToken);
        logger.LogInformation("Partner sandbox replaced the accepted Fragment API token");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(partner, vault, stopping);
        certificate.Dispose();
        logger.LogInformation("Partner sandbox stopped");
    }

    /// <summary>Ends waiting faults first so in-flight requests cannot hold up shutdown, then stops and disposes both hosts.</summary>
    private static async Task StopAsync(WebApplication? partner, WebApplication? vault, CancellationTokenSource stopping)
    {
        await stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        WebApplication[] apps = [.. new[] { partner, vault }.OfType<WebApplication>()];
        await Task.WhenAll(apps.Select(app => app.StopAsync(timeout.Token)));
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        stopping.Dispose();
    }
}
