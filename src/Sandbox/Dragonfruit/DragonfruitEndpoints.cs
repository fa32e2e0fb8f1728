using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Sandbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Dragonfruit;

/// <summary>Dragonfruit's routes. Each is tagged with a route key so faults and the call log can target it.</summary>
internal static class DragonfruitEndpoints
{
    public const string LogCategory = "Integration.Sandbox.Dragonfruit";

    public static void MapDragonfruit(this IEndpointRouteBuilder app)
    {
        app.MapPost("/get_new_tokens", GetNewTokensAsync).AsSandboxRoute(SandboxRoutes.Tokens);
        app.MapPost(ImportEndpoint.Pattern, ImportEndpoint.HandleAsync)
            .AsSandboxRoute(SandboxRoutes.Import, recordBody: false)
            .WithUnlimitedRequestBody();
    }

    private static async Task<IResult> GetNewTokensAsync(
        HttpRequest request,
        RefreshTokenState refreshTokens,
        IssuedTokens issued,
        SandboxOptions options,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(LogCategory);
        string? presented;
        try
        {
            presented = await ReadRefreshTokenAsync(request);
        }
        catch (JsonException)
        {
            logger.LogInformation("Dragonfruit get_new_tokens rejected: body is not JSON");
            return Answer(StatusCodes.Status400BadRequest, "Malformed JSON body");
        }

        if (!refreshTokens.TryRedeem(presented, options.RotateRefreshToken, out var rotated))
        {
            logger.LogInformation("Dragonfruit get_new_tokens rejected: refresh token {Presence}", presented is null ? "missing" : "not current");
            return Answer(StatusCodes.Status401Unauthorized, "Invalid refresh token");
        }

        var lifetime = TimeSpan.FromSeconds(options.TokenExpiresInSeconds);
        var accessToken = FakeTokens.Jwt("access", lifetime);
        var idToken = FakeTokens.Jwt("id", lifetime);
        issued.Add(lifetime, accessToken, idToken);
        var data = new JsonObject
        {
            ["AccessToken"] = accessToken,
            ["ExpiresIn"] = options.TokenExpiresInSeconds,
            ["IdToken"] = idToken,
            ["TokenType"] = "Bearer",
        };
        if (rotated is not null)
        {
            data["RefreshToken"] = rotated;
        }

        logger.LogInformation("Dragonfruit get_new_tokens issued tokens (refresh token rotated: {Rotated})", rotated is not null);
        return Results.Json(new JsonObject { ["data"] = data, ["success"] = true });
    }

    /// <summary>The <c>refreshToken</c> member (any case) of the JSON body, or null when the body is empty or lacks it.</summary>
    private static async Task<string?> ReadRefreshTokenAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, "refreshToken", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        return null;
    }

    public static IResult Answer(int status, string message) =>
        Results.Json(new JsonObject { ["success"] = false, ["message"] = message }, statusCode: status);
}
