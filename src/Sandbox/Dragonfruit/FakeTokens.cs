using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Integration.Sandbox.Dragonfruit;

/// <summary>Random, unique, JWT-looking tokens (<c>eyJ...</c>) and opaque refresh tokens. Nothing verifies them.</summary>
internal static class FakeTokens
{
    // {"alg":"HS256","typ":"JWT"}
    private const string Header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

    public static string Jwt(string kind, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["iss"] = "dragonfruit-sandbox",
            ["sub"] = "sandbox",
            ["typ"] = kind,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
        };
        var encoded = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return $"{Header}.{encoded}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
    }

    public static string Opaque() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
