using System.Globalization;
using System.Text.Json;

namespace Integration.Local.Tasks;

/// <summary>
/// What one local queue message holds: <c>{ "messageId", "body" (base64), "properties": {name: string|number|bool},
/// "enqueuedAt" }</c>, so the id and the application properties Service Bus carries survive a Storage Queue, which has
/// neither. Dead-lettered copies add <c>deadLetterReason</c>, <c>deadLetterDescription</c> and <c>deadLetteredAt</c>.
/// </summary>
internal sealed record LocalTaskEnvelope(
    string MessageId,
    BinaryData Body,
    IReadOnlyDictionary<string, object> Properties,
    DateTimeOffset EnqueuedAt,
    LocalDeadLetter? DeadLetter = null)
{
    /// <summary>The most a Storage Queue message may hold (64 KiB), so bodies up to about 48 KB.</summary>
    public const int MaxBytes = 64 * 1024;

    public BinaryData Serialize()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("messageId", MessageId);
            json.WriteBase64String("body", Body.ToMemory().Span);
            json.WriteStartObject("properties");
            foreach (var (name, value) in Properties)
            {
                json.WritePropertyName(name);
                WriteValue(json, name, value);
            }

            json.WriteEndObject();
            json.WriteString("enqueuedAt", EnqueuedAt);
            if (DeadLetter is { } deadLetter)
            {
                json.WriteString("deadLetterReason", deadLetter.Reason);
                json.WriteString("deadLetterDescription", deadLetter.Description);
                json.WriteString("deadLetteredAt", deadLetter.At);
            }

            json.WriteEndObject();
        }

        if (buffer.Length > MaxBytes)
        {
            throw new ArgumentException(
                $"Message {MessageId} needs a {buffer.Length}-byte envelope; a Storage Queue message holds at most {MaxBytes} bytes "
                + "(bodies up to about 48 KB locally; Service Bus Standard allows 256 KB).");
        }

        return new BinaryData(buffer.ToArray());
    }

    /// <exception cref="FormatException">The text is not an envelope.</exception>
    public static LocalTaskEnvelope Parse(BinaryData text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The message is not a JSON object.");
            }

            var properties = new Dictionary<string, object>(StringComparer.Ordinal);
            if (root.TryGetProperty("properties", out var bag) && bag.ValueKind != JsonValueKind.Null)
            {
                foreach (var property in bag.EnumerateObject())
                {
                    properties[property.Name] = ReadValue(property.Value)
                        ?? throw new FormatException($"Property '{property.Name}' is not a string, number or bool.");
                }
            }

            var deadLetter = root.TryGetProperty("deadLetterReason", out var reason)
                ? new LocalDeadLetter(
                    reason.GetString() ?? "",
                    root.TryGetProperty("deadLetterDescription", out var description) ? description.GetString() ?? "" : "",
                    root.TryGetProperty("deadLetteredAt", out var at) ? at.GetDateTimeOffset() : default)
                : null;
            return new LocalTaskEnvelope(
                Required(root, "messageId").GetString() ?? throw new FormatException("messageId is null."),
                new BinaryData(Required(root, "body").GetBytesFromBase64()),
                properties,
                Required(root, "enqueuedAt").GetDateTimeOffset(),
                deadLetter);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"Not a local task envelope: {e.Message}", e);
        }
    }

    /// <summary><paramref name="properties"/> with <paramref name="overlay"/> written over them (Service Bus' propertiesToModify).</summary>
    public static Dictionary<string, object> Overlay(IReadOnlyDictionary<string, object> properties, IReadOnlyDictionary<string, object>? overlay)
    {
        var result = new Dictionary<string, object>(properties, StringComparer.Ordinal);
        foreach (var (name, value) in overlay ?? new Dictionary<string, object>())
        {
            result[name] = value;
        }

        return result;
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new FormatException($"The envelope has no '{name}'.");

    /// <summary>
    /// Strings, bools and numbers as they are; dates, ids, durations and URIs (which Service Bus also carries) as
    /// invariant strings, since the envelope keeps only JSON's own types.
    /// </summary>
    private static void WriteValue(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int or long or short or sbyte or byte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u: json.WriteNumberValue(u); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case decimal m: json.WriteNumberValue(m); break;
            case DateTimeOffset or DateTime:
                json.WriteStringValue(((IFormattable)value).ToString("O", CultureInfo.InvariantCulture));
                break;
            case Guid or TimeSpan:
                json.WriteStringValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case char c: json.WriteStringValue(c.ToString()); break;
            case Uri uri: json.WriteStringValue(uri.ToString()); break;
            default:
                throw new ArgumentException(
                    $"Property '{name}' is {value?.GetType().Name ?? "null"}; a task property is a string, number, bool, date, Guid, TimeSpan or Uri.",
                    nameof(value));
        }
    }

    /// <summary>Numbers come back as <see cref="int"/> when they fit, else <see cref="long"/>, else <see cref="double"/>.</summary>
    private static object? ReadValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt32(out var i) => i,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number => value.GetDouble(),
        _ => null,
    };
}

internal sealed record LocalDeadLetter(string Reason, string Description, DateTimeOffset At);
