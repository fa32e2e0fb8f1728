namespace Integration.Sandbox.KeyVault;

/// <summary>One immutable version of a secret as the Key Vault fake stores it.</summary>
internal sealed record SecretVersion(
    string Name,
    string Version,
    string Value,
    string? ContentType,
    IReadOnlyDictionary<string, string>? Tags,
    bool Enabled,
    DateTimeOffset? NotBefore,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset Created,
    DateTimeOffset Updated);
