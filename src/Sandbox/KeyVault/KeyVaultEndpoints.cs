using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.KeyVault;

/// <summary>The slice of the Key Vault secrets REST API that <c>SecretClient</c> uses for set, get and list.</summary>
internal static class KeyVaultEndpoints
{
    private const string LogCategory = "Integration.Sandbox.KeyVault";

    public static void MapKeyVault(this IEndpointRouteBuilder app)
    {
        var secrets = app.MapGroup("/secrets");
        secrets.MapGet("/", ListSecrets);
        secrets.MapPut("/{name}", SetSecretAsync);
        secrets.MapGet("/{name}/versions", ListVersions);
        secrets.MapGet("/{name}/{version?}", GetSecret);
    }

    private static async Task<IResult> SetSecretAsync(string name, HttpRequest request, SandboxSecrets store, ILoggerFactory loggers)
    {
        if (!SecretNames.IsValid(name))
        {
            return KeyVaultErrors.BadName(name);
        }

        SecretSetBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SecretSetBody>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return KeyVaultErrors.BadBody("The request body is not valid JSON for a secret.");
        }

        if (body?.Value is not { } value)
        {
            return KeyVaultErrors.BadBody("Property 'value' is required.");
        }

        var attributes = body.Attributes;
        var secret = store.Put(
            name,
            value,
            body.ContentType,
            body.Tags,
            attributes?.Enabled ?? true,
            attributes?.Nbf is { } nbf ? DateTimeOffset.FromUnixTimeSeconds(nbf) : null,
            attributes?.Exp is { } exp ? DateTimeOffset.FromUnixTimeSeconds(exp) : null);
        loggers.CreateLogger(LogCategory).LogInformation("Key Vault stored secret {SecretName} version {SecretVersion}", secret.Name, secret.Version);
        return Results.Json(KeyVaultJson.Bundle(secret, VaultBase(request)));
    }

    private static IResult GetSecret(string name, string? version, HttpRequest request, SandboxSecrets store)
    {
        if (!SecretNames.IsValid(name))
        {
            return KeyVaultErrors.BadName(name);
        }

        if (store.Find(name, version) is not { } secret)
        {
            return KeyVaultErrors.SecretNotFound(name);
        }

        return secret.Enabled
            ? Results.Json(KeyVaultJson.Bundle(secret, VaultBase(request)))
            : KeyVaultErrors.Result(StatusCodes.Status403Forbidden, "Forbidden", "Operation get is not allowed on a disabled secret.");
    }

    private static IResult ListVersions(string name, HttpRequest request, SandboxSecrets store)
    {
        if (!SecretNames.IsValid(name))
        {
            return KeyVaultErrors.BadName(name);
        }

        var vault = VaultBase(request);
        var versions = store.Versions(name) ?? [];
        return Results.Json(KeyVaultJson.Page(versions.Select(v => KeyVaultJson.Item(v, KeyVaultJson.SecretId(vault, v.Name, v.Version)))));
    }

    private static IResult ListSecrets(HttpRequest request, SandboxSecrets store)
    {
        var vault = VaultBase(request);
        return Results.Json(KeyVaultJson.Page(store.Latest().Select(v => KeyVaultJson.Item(v, KeyVaultJson.SecretId(vault, v.Name)))));
    }

    private static string VaultBase(HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
