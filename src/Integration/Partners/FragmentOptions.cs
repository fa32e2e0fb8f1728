using System.ComponentModel.DataAnnotations;
using Integration.Common;

namespace Integration.Partners;

/// <summary>Fragment endpoint, API token location and client resilience (section <c>Fragment</c>).</summary>
public sealed class FragmentOptions : PartnerResilienceOptions
{
    public const string SectionName = "Fragment";

    /// <summary>A few quick in-process retries; longer waits are delayed copies of the message (see <c>Tasks</c>).</summary>
    public FragmentOptions()
    {
        MaxRetryAttempts = 2;
        RetryMaxDelay = TimeSpan.FromSeconds(5);
        TotalTimeout = TimeSpan.FromSeconds(30);
    }

    [Required]
    public Uri? BaseUrl { get; set; } = new("https://api.onfragment.com/api/v1/");

    /// <summary>Key Vault secret holding Fragment's static API token.</summary>
    [Required, RegularExpression(KeyVault.KeyVaultOptions.SecretNamePattern)]
    public string ApiTokenSecretName { get; set; } = "fragment-api-token";
}
