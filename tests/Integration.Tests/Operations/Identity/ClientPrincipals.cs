using System.Text;
using System.Text.Json;

namespace Integration.Tests.Operations.Identity;

/// <summary>
/// X-MS-CLIENT-PRINCIPAL values as App Service Authentication (Entra ID) builds them: base64 of auth_typ, the token's
/// claims (types after the platform's default mapping) and the name and role claim types.
/// </summary>
internal static class ClientPrincipals
{
    public const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string UserObjectId = "5b7f2d1e-0c8a-4b61-9f0e-3d2a4c6e8f10";
    public const string AppObjectId = "9e1c3a5b-7d2f-4e60-8a1b-c3d5e7f90a2b";
    public const string CliApplicationId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
    public const string RoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    public const string NameType = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

    /// <summary>A signed-in operator (az login), as the platform hands it over.</summary>
    public static string User(string name = "jane@contoso.com", string tenant = Tenant, params string[] roles) =>
        Encode("aad", NameType, RoleType,
        [
            ("aud", "api://3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"),
            ("iss", $"https://login.microsoftonline.com/{tenant}/v2.0"),
            ("http://schemas.microsoft.com/identity/claims/objectidentifier", UserObjectId),
            ("http://schemas.microsoft.com/identity/claims/tenantid", tenant),
            ("azp", CliApplicationId),
            (NameType, name),
            ("preferred_username", name),
            .. roles.Select(role => (RoleType, role)),
        ]);

    /// <summary>An application calling with its own token (client credentials): roles, no name.</summary>
    public static string Application(params string[] roles) =>
        Encode("aad", NameType, "roles",
        [
            ("aud", "api://3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"),
            ("oid", AppObjectId),
            ("tid", Tenant),
            ("appid", "6c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
            .. roles.Select(role => ("roles", role)),
        ]);

    public static string Encode(string authType, string? nameType, string? roleType, IEnumerable<(string Type, string Value)> claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["auth_typ"] = authType,
            ["claims"] = claims.Select(c => new Dictionary<string, string> { ["typ"] = c.Type, ["val"] = c.Value }).ToList(),
            ["name_typ"] = nameType,
            ["role_typ"] = roleType,
        })));
}
