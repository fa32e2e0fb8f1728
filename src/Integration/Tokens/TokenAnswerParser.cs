using System.Globalization;
using System.Text.Json;

namespace Integration.Tokens;

/// <summary>
/// Reads <c>{"success":true,"data":{"AccessToken","IdToken","ExpiresIn","TokenType"[,"RefreshToken"]}}</c>
/// defensively: member names in any case, ExpiresIn as number or numeric string. Anything else is a problem, never nulls.
/// </summary>
internal static class TokenAnswerParser
{
    public readonly record struct Result(IssuedTokens? Tokens, string? Problem);

    public static Result Parse(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Problem("the answer is not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problem("the answer is not a JSON object");
            }

            if (Member(root, "success") is not { ValueKind: JsonValueKind.True })
            {
                var message = Member(root, "message") is { ValueKind: JsonValueKind.String } m ? m.GetString() : null;
                return Problem($"the answer says success is not true{(message is null ? "" : $" (message: {Truncate(message)})")}");
            }

            if (Member(root, "data") is not { ValueKind: JsonValueKind.Object } data)
            {
                return Problem("the answer has no data object");
            }

            var idToken = Text(data, "IdToken");
            var accessToken = Text(data, "AccessToken");
            if (idToken is null && accessToken is null)
            {
                return Problem("data holds neither IdToken nor AccessToken");
            }

            if (Seconds(Member(data, "ExpiresIn")) is not { } expiresIn || expiresIn <= 0)
            {
                return Problem("data.ExpiresIn is missing or not a positive number of seconds");
            }

            var tokens = new IssuedTokens(idToken, accessToken, Text(data, "RefreshToken"), TimeSpan.FromSeconds(expiresIn), Text(data, "TokenType"));
            return new Result(tokens, null);
        }
    }

    private static Result Problem(string problem) => new(null, problem);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    private static JsonElement? Member(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;

    private static double? Seconds(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } number => number.GetDouble(),
        { ValueKind: JsonValueKind.String } text when double.TryParse(text.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
