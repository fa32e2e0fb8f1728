using Integration.KeyVault;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>
/// The Dragonfruit bearer for callers: read from Key Vault, cached in memory until <see cref="TokensOptions.CacheSkew"/>
/// before it expires, refreshed on demand when Key Vault holds none that is usable.
/// </summary>
public sealed class DragonfruitTokenProvider(
    SecretStore secrets,
    DragonfruitTokenRefresher refresher,
    IOptions<TokensOptions> options,
    TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _read = new(1, 1);
    private volatile CachedToken? _cached;

    public async ValueTask<string> GetBearerTokenAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } token)
        {
            return token;
        }

        await _read.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } cached)
            {
                return cached;
            }

            var name = options.Value.BearerSecretName;
            var stored = await secrets.GetAsync(name, cancellationToken);
            if (!Usable(stored))
            {
                (await refresher.RefreshIfDueAsync(cancellationToken)).ThrowIfFailed();
                stored = await secrets.GetAsync(name, cancellationToken);
                if (!Usable(stored))
                {
                    throw new TokenRefreshFailedException($"Key Vault secret '{name}' holds no unexpired Dragonfruit token even after a refresh.");
                }
            }

            var refreshAt = stored!.ExpiresOn is { } expiresOn
                ? expiresOn - options.Value.CacheSkew
                : time.GetUtcNow() + options.Value.CacheSkew;
            _cached = new CachedToken(stored.Value, refreshAt);
            return stored.Value;
        }
        finally
        {
            _read.Release();
        }
    }

    /// <summary>
    /// Dragonfruit answered 401 to <paramref name="rejectedToken"/>: forces one refresh (shared with concurrent callers)
    /// and returns the new bearer. Call it once per request; a second 401 is the partner's answer to report.
    /// </summary>
    public async ValueTask<string> RefreshAfterUnauthorizedAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        if (_cached is { } cached && cached.Value == rejectedToken)
        {
            _cached = null;
        }

        (await refresher.ForceRefreshAsync(rejectedToken, cancellationToken)).ThrowIfFailed();
        return await GetBearerTokenAsync(cancellationToken);
    }

    public void Dispose() => _read.Dispose();

    private string? Fresh() => _cached is { } cached && time.GetUtcNow() < cached.RefreshAt ? cached.Value : null;

    private bool Usable(StoredSecret? stored) =>
        stored is not null && (stored.ExpiresOn is not { } expiresOn || expiresOn - time.GetUtcNow() > options.Value.CacheSkew);

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt)
    {
        public override string ToString() => $"cached token until {RefreshAt:O}";
    }
}
