using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integration.Operations.Identity;

/// <summary>
/// Reads <c>X-MS-CLIENT-PRINCIPAL</c>, the header App Service Authentication injects after it validated the caller's
/// token: base64 of <c>{"auth_typ": "aad", "claims": [{"typ": "…", "val": "…"}], "name_typ": "…", "role_typ": "…"}</c>.
/// Claim types may be short (<c>oid</c>) or mapped to URIs (…/identity/claims/objectidentifier); both are read.
/// Pure: it trusts nothing by itself (<see cref="OpsAuthorizer"/> decides whether the header can be trusted at all).
/// </summary>
public static class ClientPrincipalHeader
{
    public const string Name = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The name header App Service Authentication sets beside it; never trusted alone.</summary>
    public const string NameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>Every header App Service Authentication sets for a validated caller (all stripped from outside requests).</summary>
    public static readonly IReadOnlyList<string> PlatformHeaders = [Name, NameHeader, "X-MS-CLIENT-PRINCIPAL-ID", "X-MS-CLIENT-PRINCIPAL-IDP"];

    /// <summary>Larger than any real principal (a few KB); a bigger header is refused unread.</summary>
    public const int MaxLength = 32 * 1024;

    private static readonly string[] ObjectIdTypes = ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier"];
    private static readonly string[] TenantIdTypes = ["tid", "http://schemas.microsoft.com/identity/claims/tenantid"];
    private static readonly string[] ApplicationIdTypes = ["azp", "appid"];
    private static readonly string[] RoleTypes = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];
    private static readonly string[] NameTypes = ["preferred_username", "upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "name"];

    /// <summary>Parses the header value; on failure <paramref name="problem"/> says why (never echoing the value).</summary>
    public static bool TryParse(string? value, out OpsPrincipal? principal, out ClaimSet? claims, out string? problem)
    {
        (principal, claims, problem) = (null, null, null);
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = $"no {Name} header";
            return false;
        }

        if (value.Length > MaxLength)
        {
            problem = $"{Name} is longer than {MaxLength} characters";
            return false;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim())));
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            problem = $"{Name} is not base64-encoded JSON";
            return false;
        }

        if (payload is not { AuthenticationType.Length: > 0, Claims: { } raw })
        {
            problem = $"{Name} has no auth_typ or no claims";
            return false;
        }

        if (raw.Any(c => c is not { Type.Length: > 0, Value: not null }))
        {
            problem = $"{Name} has a claim without typ or val";
            return false;
        }

        claims = new ClaimSet(raw.Select(c => (c.Type!, c.Value!)).ToList());
        var roleTypes = payload.RoleType is { Length: > 0 } roleType ? [roleType, .. RoleTypes] : RoleTypes;
        var nameTypes = payload.NameType is { Length: > 0 } nameType ? [nameType, .. NameTypes] : NameTypes;
        principal = new OpsPrincipal(
            payload.AuthenticationType,
            claims.First(nameTypes),
            claims.First(ObjectIdTypes),
            claims.First(TenantIdTypes),
            claims.First(ApplicationIdTypes),
            claims.All(roleTypes).ToHashSet(StringComparer.Ordinal));
        return true;
    }

    /// <summary>The claims of a principal, in header order.</summary>
    public sealed class ClaimSet(IReadOnlyList<(string Type, string Value)> claims)
    {
        public IReadOnlyList<(string Type, string Value)> Claims { get; } = claims;

        public bool HasValue(string value) => Claims.Any(c => string.Equals(c.Value, value, StringComparison.Ordinal));

        internal string? First(IEnumerable<string> types) =>
            types.Select(t => Claims.FirstOrDefault(c => string.Equals(c.Type, t, StringComparison.OrdinalIgnoreCase)).Value).FirstOrDefault(v => v is { Length: > 0 });

        internal IEnumerable<string> All(IEnumerable<string> types)
        {
            var wanted = types.ToHashSet(StringComparer.OrdinalIgnoreCase);
            return Claims.Where(c => wanted.Contains(c.Type)).Select(c => c.Value);
        }
    }

    private sealed record Payload(
        [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: JsonPropertyName("claims")] List<Claim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameType,
        [property: JsonPropertyName("role_typ")] string? RoleType);

    private sealed record Claim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}
