using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Operations.Identity;

/// <summary>
/// Decides, for each ops call, whether the caller may do what it asks and whom the audit names. The principal comes
/// only from <c>X-MS-CLIENT-PRINCIPAL</c> and only when App Service Authentication is in front (it strips that header,
/// and <c>X-MS-CLIENT-PRINCIPAL-NAME</c>, from outside requests and sets them after validating the token); a name
/// header alone, or principal headers on an app without App Service Authentication, are forged and refused. Function
/// keys are checked by the host before this runs.
/// </summary>
public sealed class OpsAuthorizer(IOptions<OpsIdentityOptions> options, AppServiceAuthentication platform, ILogger<OpsAuthorizer> logger)
{
    /// <summary>The audit's actor when identity is not required and no principal came (a local host): the key holder.</summary>
    public const string FunctionKeyActor = "function-key";

    /// <summary><paramref name="header"/> looks a request header up by name (case-insensitive), null when absent.</summary>
    public OpsAuthorization Authorize(Func<string, string?> header, OpsAccess access, string operation)
    {
        var decision = Decide(header, access, platform.Enabled, options.Value);
        if (decision is OpsAuthorization.Refused refused)
        {
            logger.LogWarning("Ops call {Operation} refused ({Status}): {Reason}", operation, refused.Status, refused.Reason);
        }

        return decision;
    }

    /// <summary>The decision itself, pure.</summary>
    public static OpsAuthorization Decide(Func<string, string?> header, OpsAccess access, bool platformAuthentication, OpsIdentityOptions options)
    {
        var sentPrincipal = ClientPrincipalHeader.PlatformHeaders.Any(name => header(name) is not null);
        if (!platformAuthentication)
        {
            if (sentPrincipal)
            {
                return new OpsAuthorization.Refused(401, "principal headers (X-MS-CLIENT-PRINCIPAL*) on an app without App Service Authentication: anyone can send them, so they are refused");
            }

            return options.Required
                ? new OpsAuthorization.Refused(401, "App Service Authentication is not enabled on this app, and Operations:Identity:Required is true: no caller can be identified (README, Deployment: Identity on the ops endpoints)")
                : new OpsAuthorization.Allowed(FunctionKeyActor, null);
        }

        if (!ClientPrincipalHeader.TryParse(header(ClientPrincipalHeader.Name), out var principal, out var claims, out var problem))
        {
            return new OpsAuthorization.Refused(401, $"no validated principal: {problem}; send an Entra ID bearer token for the ops app registration");
        }

        // The platform derives the name header from the principal's claims: one that matches none was not set by it.
        if (header(ClientPrincipalHeader.NameHeader) is { } name && !claims!.HasValue(name))
        {
            return new OpsAuthorization.Refused(401, $"{ClientPrincipalHeader.NameHeader} does not match the validated principal");
        }

        if (!string.Equals(principal!.IdentityProvider, "aad", StringComparison.OrdinalIgnoreCase))
        {
            return new OpsAuthorization.Refused(403, $"principal from identity provider '{principal.IdentityProvider}'; only Entra ID (aad) is accepted");
        }

        if (options.TenantId.Length > 0 && !string.Equals(principal.TenantId, options.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return new OpsAuthorization.Refused(403, $"{principal.Actor} is not from tenant {options.TenantId}");
        }

        var allowed = access switch
        {
            OpsAccess.Read => principal.HasRole(options.ReadRole) || principal.HasRole(options.OperateRole),
            OpsAccess.Operate => principal.HasRole(options.OperateRole),
            _ => false,
        };
        return allowed
            ? new OpsAuthorization.Allowed(principal.Actor, principal)
            : new OpsAuthorization.Refused(403, access == OpsAccess.Read
                ? $"{principal.Actor} has neither app role {options.ReadRole} nor {options.OperateRole}"
                : $"{principal.Actor} lacks app role {options.OperateRole} (needed to change something)");
    }
}
