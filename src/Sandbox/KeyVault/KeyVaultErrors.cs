using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Integration.Sandbox.KeyVault;

/// <summary>Key Vault's error body: <c>{"error":{"code":...,"message":...}}</c>.</summary>
internal static class KeyVaultErrors
{
    public static JsonObject Body(string code, string message) => new()
    {
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    public static IResult Result(int status, string code, string message) => Results.Json(Body(code, message), statusCode: status);

    public static IResult SecretNotFound(string name) =>
        Result(StatusCodes.Status404NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");

    public static IResult BadName(string name) =>
        Result(StatusCodes.Status400BadRequest, "BadParameter", $"The request URI contains an invalid name: {Shorten(name)}. Secret names are 1-127 characters of 0-9, a-z, A-Z and '-'.");

    public static IResult BadBody(string message) => Result(StatusCodes.Status400BadRequest, "BadParameter", message);

    private static string Shorten(string name) => name.Length <= 130 ? name : name[..130] + "...";
}
