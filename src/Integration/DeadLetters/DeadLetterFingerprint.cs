using System.Globalization;
using System.Text.Json;

namespace Integration.DeadLetters;

/// <summary>
/// What dead-letters are grouped by: the reason, Fragment's HTTP status and its error code, written
/// <c>Rejected422|422|value_error.missing</c>, with <c>-</c> for a part that is missing (<c>RetriesExhausted|503|-</c>).
/// </summary>
public sealed record DeadLetterFingerprint(string Reason, int? HttpStatus, string? ErrorCode)
{
    /// <summary>The longest error code kept; a longer value is most likely a message, not a code.</summary>
    public const int MaxErrorCodeLength = 100;

    private const string None = "-";

    /// <summary>The fingerprint as operators filter by it.</summary>
    public string Key => string.Join(
        '|',
        Reason.Length == 0 ? None : Reason,
        HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? None,
        ErrorCode ?? None);

    public static DeadLetterFingerprint Of(DeadLetteredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new DeadLetterFingerprint(message.Reason, message.HttpStatus, message.PartnerErrorCode);
    }

    /// <summary>
    /// Fragment's error code from its answer body, whose error shapes are not documented: the first of <c>code</c>,
    /// <c>error.code</c>, <c>error</c> (a string), <c>detail[0].type</c> (FastAPI's validation errors) and <c>type</c>
    /// that is a non-empty string or a number. Null for anything else, including a body cut short when it was kept.
    /// </summary>
    public static string? ParseErrorCode(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var code = Scalar(root, "code");
            if (code is null && root.TryGetProperty("error", out var error))
            {
                code = error.ValueKind == JsonValueKind.Object ? Scalar(error, "code") : Scalar(error);
            }

            if (code is null && root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Array && detail.GetArrayLength() > 0)
            {
                code = Scalar(detail[0], "type");
            }

            return Clean(code ?? Scalar(root, "type"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => Key;

    private static string? Scalar(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? Scalar(value) : null;

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>Trimmed, without the separator, and only when short enough to be a code.</summary>
    private static string? Clean(string? code)
    {
        code = code?.Trim().Replace('|', '/');
        return string.IsNullOrEmpty(code) || code.Length > MaxErrorCodeLength ? null : code;
    }
}
