namespace Integration.Sandbox;

/// <summary>Route keys used by <see cref="FaultInjector"/> and <see cref="CallLog"/>.</summary>
public static class SandboxRoutes
{
    /// <summary>Dragonfruit <c>POST /get_new_tokens</c>.</summary>
    public const string Tokens = "tokens";

    /// <summary>Dragonfruit <c>POST /customer/{customer_id}/sites/import</c> (recorded without its body).</summary>
    public const string Import = "import";

    /// <summary>Every request to the Key Vault listener.</summary>
    public const string KeyVault = "keyvault";
}
