namespace Integration.Operations.Identity;

/// <summary>The answer to "may this caller do this": who to audit, or why not (HTTP 401 or 403).</summary>
public abstract record OpsAuthorization
{
    private OpsAuthorization()
    {
    }

    /// <summary>Go on; the audit names <paramref name="Actor"/> (from the validated principal only).</summary>
    public sealed record Allowed(string Actor, OpsPrincipal? Principal) : OpsAuthorization;

    /// <summary>Refused: 401 (no trustworthy principal) or 403 (a principal without the role), and why.</summary>
    public sealed record Refused(int Status, string Reason) : OpsAuthorization;
}
