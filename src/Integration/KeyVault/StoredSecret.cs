namespace Integration.KeyVault;

/// <summary>A secret read from Key Vault. <see cref="ToString"/> never shows the value.</summary>
public sealed class StoredSecret(string name, string value, DateTimeOffset? expiresOn, string? version)
{
    public string Name { get; } = name;
    public string Value { get; } = value;
    public DateTimeOffset? ExpiresOn { get; } = expiresOn;
    public string? Version { get; } = version;

    public override string ToString() => $"secret {Name} (version {Version}, expires {ExpiresOn:O})";
}
