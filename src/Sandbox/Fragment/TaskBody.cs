using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Integration.Sandbox.Fragment;

/// <summary>
/// Validates a <c>PUT /tasks/{uid}</c> body. Unknown members (read-only ones echoed back, extras) are ignored.
/// Whether <c>fields.title</c> is required depends on the task existing, so <see cref="SandboxTasks.Upsert"/> checks that.
/// </summary>
internal static partial class TaskBody
{
    private static readonly string[] Statuses = ["TODO", "STARTED", "DONE"];

    /// <summary>The changes, or null with the reasons added to <paramref name="errors"/>.</summary>
    public static TaskChanges? Parse(string text, List<JsonObject> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            errors.Add(FragmentErrors.Error("Expecting a JSON object", "value_error.jsondecode", "body"));
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FragmentErrors.Error("value is not a valid dict", "type_error.dict", "body"));
                return null;
            }

            var changes = new TaskChanges(null, false, null, false, null, null);
            foreach (var member in document.RootElement.EnumerateObject())
            {
                changes = member.Name switch
                {
                    "status" => changes with { Status = Status(member.Value, errors) },
                    "due_at" => changes with { HasDueAt = true, DueAt = DueAt(member.Value, errors) },
                    "assignee_email" => changes with { HasAssigneeEmail = true, AssigneeEmail = AssigneeEmail(member.Value, errors) },
                    "fields" => changes with { Fields = Fields(member.Value, errors) },
                    _ => changes,
                };
            }

            return errors.Count == 0 ? changes : null;
        }
    }

    private static string? Status(JsonElement value, List<JsonObject> errors)
    {
        if (value.ValueKind == JsonValueKind.String && Statuses.Contains(value.GetString(), StringComparer.Ordinal))
        {
            return value.GetString();
        }

        errors.Add(FragmentErrors.Error("value is not a valid enumeration member; permitted: 'TODO', 'STARTED', 'DONE'", "type_error.enum", "body", "status"));
        return null;
    }

    /// <summary>ISO 8601 date and time with a zone (<c>Z</c> or <c>±hh:mm</c>); JSON null clears the due date.</summary>
    private static DateTimeOffset? DueAt(JsonElement value, List<JsonObject> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String
            && value.GetString() is { } text
            && IsoWithZone().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return parsed;
        }

        errors.Add(FragmentErrors.Error("invalid datetime format (ISO 8601 with a zone expected)", "value_error.datetime", "body", "due_at"));
        return null;
    }

    private static string? AssigneeEmail(JsonElement value, List<JsonObject> errors)
    {
        if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
        {
            return value.GetString();
        }

        errors.Add(FragmentErrors.Error("str type expected", "type_error.str", "body", "assignee_email"));
        return null;
    }

    private static Dictionary<string, JsonElement>? Fields(JsonElement value, List<JsonObject> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(FragmentErrors.Error("value is not a valid dict", "type_error.dict", "body", "fields"));
            return null;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in value.EnumerateObject())
        {
            fields[field.Name] = field.Value.Clone();
        }

        if (fields.TryGetValue("title", out var title) && title.ValueKind != JsonValueKind.String)
        {
            errors.Add(FragmentErrors.Error("str type expected", "type_error.str", "body", "fields", "title"));
        }

        return fields;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithZone();
}
