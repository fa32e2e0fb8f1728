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

    /// <summary>Bulk imports larger than this (Content-Length, or bytes read so far) are answered 413; null means unlimited.</summary>
    public long? MaxUploadBytes { get; set; }

    /// <summary>A bulk-import data row whose raw text contains this is reported as a row error; empty reports none.</summary>
    public string RowErrorMarker { get; set; } = "INVALID";

    /// <summary>An imported sheet up to this size keeps its text in <see cref="ReceivedSheet.Content"/>; larger ones keep only counts and hash.</summary>
    public long KeepContentUpToBytes { get; set; } = 16 * 1024 * 1024;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(DragonfruitRefreshToken, nameof(DragonfruitRefreshToken));
        ArgumentException.ThrowIfNullOrEmpty(KeyVaultAccessToken, nameof(KeyVaultAccessToken));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TokenExpiresInSeconds, nameof(TokenExpiresInSeconds));
        ArgumentNullException.ThrowIfNull(RowErrorMarker, nameof(RowErrorMarker));
        ArgumentOutOfRangeException.ThrowIfNegative(KeepContentUpToBytes, nameof(KeepContentUpToBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(KeepContentUpToBytes, Array.MaxLength, nameof(KeepContentUpToBytes));
        if (MaxUploadBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(MaxUploadBytes));
        }
    }
}
