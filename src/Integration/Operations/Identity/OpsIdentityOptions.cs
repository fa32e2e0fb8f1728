using System.ComponentModel.DataAnnotations;

namespace Integration.Operations.Identity;

/// <summary>
/// Who may call the ops endpoints (section <c>Operations:Identity</c>): the principal App Service Authentication
/// (Entra ID) validated, with an app role of the ops app registration. Function keys stay a second gate.
/// </summary>
public sealed class OpsIdentityOptions
{
    public const string SectionName = "Operations:Identity";

    /// <summary>
    /// True (the default, and always in Azure): every ops call needs a principal validated by App Service
    /// Authentication with the role the action needs. False only for a local host without App Service Authentication:
    /// the function key is then the only gate and the audit names "function-key".
    /// </summary>
    public bool Required { get; set; } = true;

    /// <summary>Entra tenant the principal must come from (its <c>tid</c> claim); empty: not checked.</summary>
    [RegularExpression("^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    public string TenantId { get; set; } = "";

    /// <summary>App role (value) that lets a principal list: dead-letters, groups, imports, requests.</summary>
    [Required, RegularExpression(@"^[A-Za-z][A-Za-z0-9._-]{0,119}$")]
    public string ReadRole { get; set; } = "Ops.Read";

    /// <summary>App role (value) that lets a principal change something: redrive, re-sync, re-import, resolve. It includes reading.</summary>
    [Required, RegularExpression(@"^[A-Za-z][A-Za-z0-9._-]{0,119}$")]
    public string OperateRole { get; set; } = "Ops.Operate";
}
