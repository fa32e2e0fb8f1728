using Integration.KeyVault;
using Integration.Partners;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>Fragment's static API token from Key Vault, cached briefly so a rotated or revoked token is picked up without a restart.</summary>
public sealed class FragmentTokenProvider(
    SecretStore secrets,
    IOptions<FragmentOptions> fragment,
    IOptions<TokensOptions> tokens,
    TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _read = new(1, 1);
    private volatile Cached? _cached;

    public async ValueTask<string> GetApiTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && time.GetUtcNow() < hit.Until)
        {
            return hit.Value;
        }

        await _read.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() < again.Until)
            {
                return again.Value;
            }

            var name = fragment.Value.ApiTokenSecretName;
            var stored = await secrets.GetAsync(name, cancellationToken)
                ?? throw new TokenRefreshFailedException($"Key Vault secret '{name}' holding the Fragment API token is missing; set it (integration secrets set {name}).");
            _cached = new Cached(stored.Value, time.GetUtcNow() + tokens.Value.FragmentTokenCacheTtl);
            return stored.Value;
        }
        finally
        {
            _read.Release();
        }
    }

    /// <summary>Forget the cached token, e.g. after Fragment answered 401.</summary>
    public void Invalidate() => _cached = null;

    public void Dispose() => _read.Dispose();

    private sealed record Cached(string Value, DateTimeOffset Until)
    {
        public override string ToString() => $"cached token until {Until:O}";
    }
}
