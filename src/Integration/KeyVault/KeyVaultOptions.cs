using System.ComponentModel.DataAnnotations;
using Integration.Common;

namespace Integration.KeyVault;

/// <summary>Where secrets and tokens live (section <c>KeyVault</c>).</summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "KeyVault";
    public const string SecretNamePattern = "^[0-9a-zA-Z-]{1,127}$";

    /// <summary>The vault, e.g. <c>https://my-vault.vault.azure.net/</c>. Must be https.</summary>
    [Required]
    public Uri? VaultUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty uses the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// Local runs only: SHA-1 thumbprint of the self-signed certificate of a Key Vault–compatible emulator
    /// (the partner sandbox). When set, only that certificate is trusted, the challenge resource check is
    /// skipped and <see cref="EmulatorAccessToken"/> is sent instead of an Entra ID token.
    /// </summary>
    public string? EmulatorCertificateThumbprint { get; set; }

    /// <summary>Local runs only: the bearer the emulator accepts.</summary>
    public string? EmulatorAccessToken { get; set; }

    /// <summary>Retry and network timeout of the <c>SecretClient</c> (<c>KeyVault:Retry:*</c>).</summary>
    public AzureClientRetry Retry { get; set; } = new();

    public bool UsesEmulator => !string.IsNullOrWhiteSpace(EmulatorCertificateThumbprint);
}
