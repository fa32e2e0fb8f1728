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

    /// <summary>
    /// Benchmarks: the import endpoint checks the bearer, customer id, size and content type, then only drains the body
    /// and answers success (no multipart parsing, hashing or counting), a sink on the import path. Nothing is recorded.
    /// </summary>
    public bool DrainImports { get; set; }

    /// <summary>The bearer token Fragment's API accepts initially (see <see cref="PartnerSandbox.RotateFragmentToken"/>). Nothing is seeded in Key Vault.</summary>
    public string FragmentApiToken { get; set; } = "sandbox-fragment-api-token";

    /// <summary>Requests to <c>/tasks/*</c> allowed in any sliding 60-second window before Fragment answers 429; null means unlimited.</summary>
    public int? FragmentRequestsPerMinute { get; set; }

    /// <summary>
    /// Most items <c>PUT /tasks/batch</c> takes (Fragment's real limit is unknown); more is a 422 for the whole batch.
    /// A batch counts as one request against <see cref="FragmentRequestsPerMinute"/>.
    /// </summary>
    public int FragmentMaxBatchItems { get; set; } = 100;

    /// <summary>
    /// The clock of the fakes' own logic: Fragment task timestamps and rate limit, Key Vault secret created/updated times,
    /// Dragonfruit token expiry. <see cref="RecordedCall.At"/> and <see cref="ReceivedImport.At"/> stay on the wall clock.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(DragonfruitRefreshToken, nameof(DragonfruitRefreshToken));
        ArgumentException.ThrowIfNullOrEmpty(KeyVaultAccessToken, nameof(KeyVaultAccessToken));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TokenExpiresInSeconds, nameof(TokenExpiresInSeconds));
        ArgumentNullException.ThrowIfNull(RowErrorMarker, nameof(RowErrorMarker));
        ArgumentOutOfRangeException.ThrowIfNegative(KeepContentUpToBytes, nameof(KeepContentUpToBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(KeepContentUpToBytes, Array.MaxLength, nameof(KeepContentUpToBytes));
        ArgumentException.ThrowIfNullOrEmpty(FragmentApiToken, nameof(FragmentApiToken));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (FragmentRequestsPerMinute is { } perMinute)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perMinute, nameof(FragmentRequestsPerMinute));
        }

        if (MaxUploadBytes is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(MaxUploadBytes));
        }
    }
}
