namespace Integration.Sandbox;

/// <summary>Route keys used by <see cref="FaultInjector"/> and <see cref="CallLog"/>.</summary>
public static class SandboxRoutes
{
    /// <summary>Dragonfruit <c>POST /get_new_tokens</c>.</summary>
    public const string Tokens = "tokens";

    /// <summary>Dragonfruit <c>POST /customer/{customer_id}/sites/import</c> (recorded without its body).</summary>
    public const string Import = "import";

    /// <summary>Fragment <c>PUT /tasks/{uid}</c> and <c>GET /tasks/{uid}</c>.</summary>
    public const string Tasks = "tasks";

    /// <summary>Fragment <c>GET /accounts/me</c> (the token check); kept apart so it neither consumes nor counts as a task call.</summary>
    public const string FragmentAccount = "accounts";

    /// <summary>Every request to the Key Vault listener.</summary>
    public const string KeyVault = "keyvault";
}
