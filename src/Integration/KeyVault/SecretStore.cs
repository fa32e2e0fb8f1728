using Azure;
using Azure.Security.KeyVault.Secrets;
using Integration.Common;

namespace Integration.KeyVault;

/// <summary>
/// Reads and writes secrets through the real <see cref="SecretClient"/> pipeline. Every value read or written becomes a
/// <see cref="KnownSecrets"/> value, masked in every sink.
/// </summary>
public class SecretStore(SecretClient client, KnownSecrets known)
{
    /// <summary>The latest version of a secret, or null when the vault has none of that name.</summary>
    public virtual async Task<StoredSecret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            Response<KeyVaultSecret> response = await client.GetSecretAsync(name, cancellationToken: cancellationToken);
            var secret = response.Value;
            known.Add(secret.Value);
            return new StoredSecret(name, secret.Value, secret.Properties.ExpiresOn, secret.Properties.Version);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public virtual async Task SetAsync(
        string name,
        string value,
        DateTimeOffset? expiresOn,
        IReadOnlyDictionary<string, string>? tags,
        CancellationToken cancellationToken)
    {
        known.Add(value);
        var secret = new KeyVaultSecret(name, value);
        secret.Properties.ExpiresOn = expiresOn;
        secret.Properties.ContentType = "text/plain";
        foreach (var (key, tag) in tags ?? new Dictionary<string, string>())
        {
            secret.Properties.Tags[key] = tag;
        }

        await client.SetSecretAsync(secret, cancellationToken);
    }
}
