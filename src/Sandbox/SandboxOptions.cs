namespace Integration.Sandbox;

/// <summary>How a <see cref="PartnerSandbox"/> behaves. Read when the sandbox starts, except the token flags, which are read per request.</summary>
public sealed class SandboxOptions
{
    /// <summary>The refresh token the Dragonfruit token endpoint accepts initially.</summary>
    public string DragonfruitRefreshToken { get; set; } = "sandbox-refresh-token";

    /// <summary>When true every successful <c>get_new_tokens</c> returns a new <c>RefreshToken</c> and only the newest is accepted afterwards.</summary>
    public bool RotateRefreshToken { get; set; }

    public int TokenExpiresInSeconds { get; set; } = 3600;

    /// <summary>The bearer token the Key Vault endpoint accepts.</summary>
    public string KeyVaultAccessToken { get; set; } = "local-emulator-token";

    /// <summary>Optional PFX path: loaded if it exists, else created and saved there (stable thumbprint); null means an in-memory certificate.</summary>
    public string? CertificatePath { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(DragonfruitRefreshToken, nameof(DragonfruitRefreshToken));
        ArgumentException.ThrowIfNullOrEmpty(KeyVaultAccessToken, nameof(KeyVaultAccessToken));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TokenExpiresInSeconds, nameof(TokenExpiresInSeconds));
    }
}
