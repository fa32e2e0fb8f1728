namespace Integration.Sandbox.KeyVault;

/// <summary>Key Vault's rule for secret names: 1-127 characters of <c>[0-9a-zA-Z-]</c>.</summary>
internal static class SecretNames
{
    public const int MaxLength = 127;

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
