using Integration.Sandbox.KeyVault;

namespace Integration.Sandbox;

/// <summary>The Key Vault fake's store: every version of every secret. Names are case-insensitive, as in Key Vault. Thread-safe.</summary>
public sealed class SandboxSecrets
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<SecretVersion>> secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider time;

    internal SandboxSecrets(TimeProvider time) => this.time = time;

    /// <summary>Adds a new enabled version of <paramref name="name"/>, as a <c>PUT /secrets/{name}</c> would.</summary>
    public void Set(string name, string value, DateTimeOffset? expiresOn = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        Put(name, value, contentType: null, tags: null, enabled: true, notBefore: null, expiresOn);
    }

    /// <summary>The latest version's value, or null when the secret does not exist.</summary>
    public string? GetValue(string name) => Find(name, version: null)?.Value;

    /// <summary>The latest version's expiry, or null when it has none or the secret does not exist.</summary>
    public DateTimeOffset? GetExpiresOn(string name) => Find(name, version: null)?.ExpiresOn;

    public int VersionCount(string name)
    {
        lock (gate)
        {
            return secrets.TryGetValue(name, out var versions) ? versions.Count : 0;
        }
    }

    internal SecretVersion Put(
        string name,
        string value,
        string? contentType,
        IReadOnlyDictionary<string, string>? tags,
        bool enabled,
        DateTimeOffset? notBefore,
        DateTimeOffset? expiresOn)
    {
        if (!SecretNames.IsValid(name))
        {
            throw new ArgumentException("Secret names are 1-127 characters of 0-9, a-z, A-Z and '-'.", nameof(name));
        }

        var now = UnixSecondsPrecision(time.GetUtcNow());
        var version = new SecretVersion(name, Guid.NewGuid().ToString("N"), value, contentType, tags, enabled, notBefore, expiresOn, now, now);
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var versions))
            {
                versions = [];
                secrets[name] = versions;
            }

            versions.Add(version);
        }

        return version;
    }

    /// <summary>The given version, or the latest when <paramref name="version"/> is null.</summary>
    internal SecretVersion? Find(string name, string? version)
    {
        lock (gate)
        {
            if (!secrets.TryGetValue(name, out var versions))
            {
                return null;
            }

            return version is null
                ? versions[^1]
                : versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
        }
    }

    internal IReadOnlyList<SecretVersion>? Versions(string name)
    {
        lock (gate)
        {
            return secrets.TryGetValue(name, out var versions) ? [.. versions] : null;
        }
    }

    internal IReadOnlyList<SecretVersion> Latest()
    {
        lock (gate)
        {
            return [.. secrets.Values.Select(v => v[^1]).OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)];
        }
    }

    private static DateTimeOffset UnixSecondsPrecision(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());
}
