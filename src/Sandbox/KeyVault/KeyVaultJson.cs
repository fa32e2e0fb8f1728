using System.Text.Json.Nodes;

namespace Integration.Sandbox.KeyVault;

/// <summary>Key Vault's secret bundle and list item shapes; null members are omitted.</summary>
internal static class KeyVaultJson
{
    public static string SecretId(string vaultBase, string name, string? version = null) =>
        version is null ? $"{vaultBase}/secrets/{name}" : $"{vaultBase}/secrets/{name}/{version}";

    public static JsonObject Bundle(SecretVersion secret, string vaultBase)
    {
        var bundle = new JsonObject
        {
            ["value"] = secret.Value,
            ["id"] = SecretId(vaultBase, secret.Name, secret.Version),
        };
        AddDescription(bundle, secret);
        return bundle;
    }

    public static JsonObject Item(SecretVersion secret, string id)
    {
        var item = new JsonObject { ["id"] = id };
        AddDescription(item, secret);
        return item;
    }

    public static JsonObject Page(IEnumerable<JsonObject> items) => new()
    {
        ["value"] = new JsonArray([.. items]),
        ["nextLink"] = null,
    };

    private static void AddDescription(JsonObject target, SecretVersion secret)
    {
        if (secret.ContentType is not null)
        {
            target["contentType"] = secret.ContentType;
        }

        if (secret.Tags is not null)
        {
            var tags = new JsonObject();
            foreach (var (key, value) in secret.Tags)
            {
                tags[key] = value;
            }

            target["tags"] = tags;
        }

        target["attributes"] = Attributes(secret);
    }

    private static JsonObject Attributes(SecretVersion secret)
    {
        var attributes = new JsonObject { ["enabled"] = secret.Enabled };
        if (secret.NotBefore is { } notBefore)
        {
            attributes["nbf"] = notBefore.ToUnixTimeSeconds();
        }

        if (secret.ExpiresOn is { } expiresOn)
        {
            attributes["exp"] = expiresOn.ToUnixTimeSeconds();
        }

        attributes["created"] = secret.Created.ToUnixTimeSeconds();
        attributes["updated"] = secret.Updated.ToUnixTimeSeconds();
        attributes["recoveryLevel"] = "Recoverable+Purgeable";
        attributes["recoverableDays"] = 90;
        return attributes;
    }
}
