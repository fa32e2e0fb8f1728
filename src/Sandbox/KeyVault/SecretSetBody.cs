namespace Integration.Sandbox.KeyVault;

/// <summary>The JSON body of <c>PUT /secrets/{name}</c>.</summary>
internal sealed record SecretSetBody(
    string? Value,
    string? ContentType,
    IReadOnlyDictionary<string, string>? Tags,
    SecretSetAttributes? Attributes);

/// <summary>Secret attributes as sent by clients; times are Unix seconds.</summary>
internal sealed record SecretSetAttributes(bool? Enabled, long? Exp, long? Nbf);
