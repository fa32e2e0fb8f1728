using Integration.KeyVault;
using Integration.Tokens;
using Microsoft.Extensions.Options;

namespace Integration.Operations;

/// <summary>
/// The Dragonfruit bearer as operators see it (<c>GET ops/tokens</c>): which secret, when it expires (from Key Vault's
/// expiry attribute; the value is never read out), and what the refresh attempts recorded (<see cref="TokenRefreshJournal"/>).
/// </summary>
/// <param name="BearerExpiresOn">Null when the secret is missing or has no expiry.</param>
/// <param name="BearerState"><c>valid</c>, <c>refresh-due</c> (within <c>Tokens:RefreshMargin</c>), <c>expired</c> or <c>missing</c>.</param>
public sealed record TokenStatus(
    string BearerSecretName,
    DateTimeOffset? BearerExpiresOn,
    string BearerState,
    DateTimeOffset Now,
    DateTimeOffset? LastAttemptAt,
    string? LastOutcome,
    DateTimeOffset? LastRefreshAt,
    DateTimeOffset? LastFailureAt,
    string? LastFailure);

public sealed class TokenStatusQuery(SecretStore secrets, TokenRefreshJournal journal, IOptions<TokensOptions> options, TimeProvider time)
{
    public async Task<TokenStatus> GetAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var bearer = await secrets.GetAsync(o.BearerSecretName, cancellationToken);
        var record = await journal.ReadAsync(cancellationToken) ?? new TokenRefreshRecord();
        var now = time.GetUtcNow();
        var state = bearer?.ExpiresOn switch
        {
            null when bearer is null => "missing",
            null => "valid",
            { } e when e <= now => "expired",
            { } e when e - now <= o.RefreshMargin => "refresh-due",
            _ => "valid",
        };
        return new TokenStatus(
            o.BearerSecretName, bearer?.ExpiresOn, state, now, record.LastAttemptAt, Masked(record.LastOutcome), record.LastRefreshAt, record.LastFailureAt, Masked(record.LastFailure));
    }

    private static string? Masked(string? text) => text is null ? null : Common.SecretRedactor.MaskSecrets(text, []);
}
