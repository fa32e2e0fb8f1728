using System.ComponentModel.DataAnnotations;
using Integration.Common;

namespace Integration.Partners;

/// <summary>Fragment endpoint, API token location and client resilience (section <c>Fragment</c>).</summary>
public sealed class FragmentOptions : PartnerResilienceOptions
{
    public const string SectionName = "Fragment";

    [Required]
    public Uri? BaseUrl { get; set; } = new("https://api.onfragment.com/api/v1/");

    /// <summary>Key Vault secret holding Fragment's static API token.</summary>
    [Required, RegularExpression(KeyVault.KeyVaultOptions.SecretNamePattern)]
    public string ApiTokenSecretName { get; set; } = "fragment-api-token";
}
