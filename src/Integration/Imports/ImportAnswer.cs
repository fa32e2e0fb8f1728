using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Integration.Imports;

/// <summary>A row-level complaint from Dragonfruit; <see cref="Row"/> is the 1-based data row of the uploaded part, when the partner gave one.</summary>
public sealed record RowError(string Sheet, long? Row, string Message);

/// <summary>
/// A 200 answer to the bulk import, read defensively: <c>success</c> must be true, and <c>data.errors</c>
/// (shape undocumented) is kept raw per sheet, with row numbers picked out where the partner gives them.
/// </summary>
public sealed partial record ImportAnswer(bool Success, string? Problem, IReadOnlyDictionary<string, string> RawErrors, IReadOnlyList<RowError> RowErrors)
{
    private static readonly string[] RowKeys = ["row", "row_number", "rowNumber", "rowIndex", "line", "line_number", "lineNumber"];
    private static readonly string[] MessageKeys = ["message", "error", "errors", "msg", "detail", "reason"];

    public static ImportAnswer Parse(string body, string uploadedSheet)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Member(root, "success") is not { ValueKind: JsonValueKind.True })
            {
                var message = root.ValueKind == JsonValueKind.Object && Member(root, "message") is { ValueKind: JsonValueKind.String } m ? m.GetString() : null;
                return Failure($"the answer does not say success: true{(message is null ? "" : $" (message: {message})")}");
            }

            var raw = new Dictionary<string, string>();
            var rows = new List<RowError>();
            if (Member(root, "data") is { ValueKind: JsonValueKind.Object } data && Member(data, "errors") is { } errors)
            {
                if (errors.ValueKind == JsonValueKind.Object)
                {
                    foreach (var sheet in errors.EnumerateObject().Where(s => !IsEmpty(s.Value)))
                    {
                        raw[sheet.Name] = sheet.Value.GetRawText();
                        rows.AddRange(Items(sheet.Value).Select(item => Read(sheet.Name, item)));
                    }
                }
                else if (!IsEmpty(errors))
                {
                    raw[uploadedSheet] = errors.GetRawText();
                    rows.AddRange(Items(errors).Select(item => Read(uploadedSheet, item)));
                }
            }

            return new ImportAnswer(true, null, raw, rows);
        }
        catch (JsonException)
        {
            return Failure("the answer is not JSON");
        }
    }

    private static ImportAnswer Failure(string problem) => new(false, problem, new Dictionary<string, string>(), []);

    private static bool IsEmpty(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.Array => element.GetArrayLength() == 0,
        JsonValueKind.Object => !element.EnumerateObject().Any(),
        JsonValueKind.String => string.IsNullOrWhiteSpace(element.GetString()),
        _ => false,
    };

    private static List<JsonElement> Items(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray()] : [element];

    private static RowError Read(string sheet, JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.Object)
        {
            var row = RowKeys.Select(key => Number(Member(item, key))).FirstOrDefault(n => n is not null);
            var message = MessageKeys.Select(key => Text(Member(item, key))).FirstOrDefault(t => t is not null) ?? item.GetRawText();
            return new RowError(sheet, row ?? RowInText(message), message);
        }

        var text = Text(item) ?? item.GetRawText();
        return new RowError(sheet, RowInText(text), text);
    }

    private static long? RowInText(string text) =>
        RowMention().Match(text) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    private static long? Number(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var value) => value,
        { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) => value,
        _ => null,
    };

    private static string? Text(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Array } a => string.Join("; ", a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText())),
        _ => null,
    };

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

    [GeneratedRegex(@"\brow\s*#?\s*(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RowMention();
}
