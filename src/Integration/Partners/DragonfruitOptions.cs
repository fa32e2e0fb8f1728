using System.ComponentModel.DataAnnotations;
using Integration.Common;

namespace Integration.Partners;

/// <summary>Dragonfruit endpoints and client resilience (section <c>Dragonfruit</c>).</summary>
public sealed class DragonfruitOptions : PartnerResilienceOptions
{
    public const string SectionName = "Dragonfruit";

    /// <summary>Base URL of the external API (bulk import). Some regions use another host.</summary>
    [Required]
    public Uri? BaseUrl { get; set; } = new("https://api-external.dragonfruit.ai/");

    /// <summary>The token exchange endpoint (another host than <see cref="BaseUrl"/>).</summary>
    [Required]
    public Uri? TokenUrl { get; set; } = new("https://df-services.dragonfruit.ai/get_new_tokens");
}
