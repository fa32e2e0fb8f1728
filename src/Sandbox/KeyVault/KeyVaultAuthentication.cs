using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.KeyVault;

/// <summary>
/// Accepts only <c>Authorization: Bearer {access token}</c>; anything else gets Key Vault's 401 challenge, which is
/// what a <c>SecretClient</c> reads on its first, unauthenticated request.
/// </summary>
internal static class KeyVaultAuthentication
{
    public const string Challenge =
        "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";

    public static IApplicationBuilder UseKeyVaultAuthentication(this IApplicationBuilder app, string accessToken, ILogger logger)
    {
        var expected = Encoding.UTF8.GetBytes(accessToken);
        return app.Use(async (context, next) =>
        {
            var problem = Check(context.Request.Headers.Authorization.ToString(), expected);
            if (problem is null)
            {
                await next(context);
                return;
            }

            logger.LogDebug("Key Vault {Method} {Path} unauthenticated: {Problem}", context.Request.Method, context.Request.Path, problem);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = Challenge;
            await context.Response.WriteAsJsonAsync(KeyVaultErrors.Body("Unauthorized", problem), context.RequestAborted);
        });
    }

    private static string? Check(string authorization, byte[] expected)
    {
        const string scheme = "Bearer ";
        if (authorization.Length == 0)
        {
            return "AKV10000: Request is missing a Bearer or PoP token.";
        }

        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "AKV10001: The Authorization header is not a Bearer token.";
        }

        var presented = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, expected) ? null : "AKV10032: The bearer token is not valid for this vault.";
    }
}
