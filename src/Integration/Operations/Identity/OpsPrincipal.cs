namespace Integration.Operations.Identity;

/// <summary>
/// A caller as App Service Authentication validated it (from <c>X-MS-CLIENT-PRINCIPAL</c>): a user, or an application
/// calling with its own token (no name, an app id).
/// </summary>
/// <param name="IdentityProvider">The header's <c>auth_typ</c>, <c>aad</c> for Entra ID.</param>
/// <param name="Name">The claim named by <c>name_typ</c> (e.g. the user principal name); null for an application.</param>
/// <param name="ObjectId">The <c>oid</c> claim: the user's or service principal's object id.</param>
/// <param name="TenantId">The <c>tid</c> claim.</param>
/// <param name="ApplicationId">The calling client's <c>azp</c> or <c>appid</c> claim.</param>
/// <param name="Roles">The app roles granted (claims of type <c>role_typ</c> or <c>roles</c>).</param>
public sealed record OpsPrincipal(
    string IdentityProvider,
    string? Name,
    string? ObjectId,
    string? TenantId,
    string? ApplicationId,
    IReadOnlySet<string> Roles)
{
    /// <summary>Who the audit names: the name and the object id, or for an application its app id and object id.</summary>
    public string Actor =>
        (Name, ObjectId, ApplicationId) switch
        {
            ({ Length: > 0 } name, { Length: > 0 } oid, _) => $"{name} (oid {oid})",
            ({ Length: > 0 } name, _, _) => name,
            (_, { Length: > 0 } oid, { Length: > 0 } app) => $"app {app} (oid {oid})",
            (_, { Length: > 0 } oid, _) => $"oid {oid}",
            _ => $"{IdentityProvider} principal without name or object id",
        };

    public bool HasRole(string role) => Roles.Contains(role);
}
