using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Integration.Tasks.Messages;

/// <summary>
/// Reads a task message body: one JSON object (UTF-8, a leading BOM is skipped) with snake_case members
/// <list type="bullet">
/// <item><c>uid</c> (a UUID string, 8-4-4-4-12 hex digits in any case) and/or <c>external_id</c> (a non-empty string,
/// turned into the uid by <see cref="FragmentUid.FromExternalId"/>); when both are given they must agree.</item>
/// <item><c>status</c>: optional, <c>TODO</c>, <c>STARTED</c> or <c>DONE</c> (exact case).</item>
/// <item><c>due_at</c>: optional RFC 3339 / ISO-8601 date-time with an offset (<c>Z</c> or <c>±hh:mm</c>), up to
/// 9 fraction digits (kept to 100 ns).</item>
/// <item><c>assignee_email</c>: optional string with exactly one <c>@</c>, with text on both sides.</item>
/// <item><c>fields</c>: optional JSON object, passed through to Fragment unchanged; <c>fields.title</c>, when present,
/// must be a string.</item>
/// <item><c>version</c> (a non-negative integer) and/or <c>updated_at</c> (date-time with an offset): at least one,
/// to order updates of a task (<see cref="TaskVersion"/>).</item>
/// </list>
/// </summary>
/// <remarks>
/// Strict on purpose, since a message that is not understood is dead-lettered rather than half applied:
/// <list type="bullet">
/// <item>Unknown top-level members make the message invalid and are listed in the reason, instead of being ignored:
/// a misspelt member (<c>assignee</c>, <c>dueAt</c>) would otherwise silently drop an update.</item>
/// <item>A member set to <c>null</c> is invalid: leave it out instead (null could mean "clear" or "unchanged").</item>
/// <item>Duplicate member names anywhere in the body are invalid JSON here.</item>
/// </list>
/// Every problem found is reported, joined by <c>"; "</c>; reasons quote clipped excerpts, never the whole body.
/// </remarks>
public static partial class TaskMessageParser
{
    private const int MaxQuoted = 100;
    private const int MaxListedMembers = 10;

    private static readonly string[] KnownMembers =
        ["uid", "external_id", "status", "due_at", "assignee_email", "fields", "version", "updated_at"];

    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    public static TaskMessageParse Parse(ReadOnlySpan<byte> body, TaskMessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (body.Length > limits.MaxBytes)
        {
            return Invalid($"message is {body.Length} bytes, over the {limits.MaxBytes} byte limit");
        }

        var skipped = body.StartsWith("\uFEFF"u8) ? 3 : 0;
        body = body[skipped..];
        if (body.IsEmpty)
        {
            return Invalid("message is empty");
        }

        if (!Utf8.IsValid(body))
        {
            return Invalid($"message is not valid UTF-8 (bad byte sequence at byte offset {skipped + FirstInvalidUtf8(body)})");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), DocumentOptions);
        }
        catch (JsonException exception)
        {
            return Invalid(DescribeJsonError(exception));
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check decodes member names and throws this for an escaped lone surrogate.
            return Invalid("message has a member name that is not valid Unicode text (an escaped lone surrogate)");
        }

        using (document)
        {
            return Interpret(document.RootElement);
        }
    }

    /// <summary>RFC 3339 date-time with a mandatory offset (<c>Z</c> or <c>±hh:mm</c>), e.g. <c>2025-01-31T17:00:00.5+01:00</c>.</summary>
    internal static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        if (!Rfc3339DateTime().IsMatch(text))
        {
            return false;
        }

        // .NET keeps 7 fraction digits (100 ns); nanosecond producers (Go, Java) send 9: truncate the extra ones.
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339DateTime();

    private static TaskMessageParse Interpret(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"message is {Describe(root.ValueKind)}, not a JSON object");
        }

        var problems = new List<string>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var property in root.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                problems.Add("message has a member name that is not valid Unicode text (an escaped lone surrogate)");
                continue;
            }

            if (Array.IndexOf(KnownMembers, name) < 0)
            {
                unknown.Add(name);
                continue;
            }

            present.Add(name);
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                problems.Add($"{name} is null; leave the member out instead");
            }
            else
            {
                members[name] = property.Value;
            }
        }

        if (unknown.Count > 0)
        {
            problems.Add(DescribeUnknown(unknown));
        }

        var (uid, externalId) = ReadIdentity(members, present, problems);
        var status = members.TryGetValue("status", out var statusElement) ? ReadStatus(statusElement, problems) : null;
        var dueAt = members.TryGetValue("due_at", out var dueAtElement) ? ReadTimestamp(dueAtElement, "due_at", problems) : null;
        var assigneeEmail = members.TryGetValue("assignee_email", out var emailElement) ? ReadEmail(emailElement, problems) : null;
        var fieldsJson = members.TryGetValue("fields", out var fieldsElement) ? ReadFields(fieldsElement, problems) : null;
        var number = members.TryGetValue("version", out var versionElement) ? ReadVersionNumber(versionElement, problems) : null;
        var updatedAt = members.TryGetValue("updated_at", out var updatedAtElement) ? ReadTimestamp(updatedAtElement, "updated_at", problems) : null;
        if (!present.Contains("version") && !present.Contains("updated_at"))
        {
            problems.Add("message has neither version nor updated_at (one is needed to order the updates of a task)");
        }

        if (problems.Count > 0 || uid is not { } resolvedUid)
        {
            return Invalid(string.Join("; ", problems));
        }

        return new TaskMessageParse.Valid(new TaskMessage
        {
            Uid = resolvedUid,
            ExternalId = externalId,
            Status = status,
            DueAt = dueAt,
            AssigneeEmail = assigneeEmail,
            FieldsJson = fieldsJson,
            Version = new TaskVersion(number, updatedAt),
        });
    }

    private static (Guid? Uid, string? ExternalId) ReadIdentity(
        Dictionary<string, JsonElement> members, HashSet<string> present, List<string> problems)
    {
        if (!present.Contains("uid") && !present.Contains("external_id"))
        {
            problems.Add("message has neither uid nor external_id");
            return (null, null);
        }

        Guid? uid = null;
        var uidValid = true;
        if (members.TryGetValue("uid", out var uidElement))
        {
            uidValid = false;
            if (ReadString(uidElement, "uid", problems) is { } text)
            {
                if (Guid.TryParseExact(text, "D", out var parsed))
                {
                    uid = parsed;
                    uidValid = true;
                }
                else
                {
                    problems.Add($"uid {Quote(text)} is not a UUID (expected 32 hex digits as 8-4-4-4-12)");
                }
            }
        }

        string? externalId = null;
        if (members.TryGetValue("external_id", out var externalIdElement) && ReadString(externalIdElement, "external_id", problems) is { } key)
        {
            if (key.Length == 0)
            {
                problems.Add("external_id is empty");
            }
            else
            {
                externalId = key;
            }
        }

        if (externalId is null || !uidValid)
        {
            return (uid, externalId);
        }

        var derived = FragmentUid.FromExternalId(externalId);
        if (uid is { } given && given != derived)
        {
            problems.Add($"uid {given} does not match external_id {Quote(externalId)}, whose uid is {derived}");
            return (null, externalId);
        }

        return (derived, externalId);
    }

    private static TaskMessageStatus? ReadStatus(JsonElement element, List<string> problems)
    {
        switch (ReadString(element, "status", problems))
        {
            case null:
                return null;
            case "TODO":
                return TaskMessageStatus.Todo;
            case "STARTED":
                return TaskMessageStatus.Started;
            case "DONE":
                return TaskMessageStatus.Done;
            case var other:
                problems.Add($"status {Quote(other)} is not one of TODO, STARTED, DONE (exact case)");
                return null;
        }
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement element, string name, List<string> problems)
    {
        if (ReadString(element, name, problems) is not { } text)
        {
            return null;
        }

        if (TryParseTimestamp(text, out var value))
        {
            return value;
        }

        problems.Add($"{name} {Quote(text)} is not an ISO-8601 date-time with an offset (e.g. 2025-01-31T17:00:00Z or 2025-01-31T17:00:00.5+01:00)");
        return null;
    }

    private static string? ReadEmail(JsonElement element, List<string> problems)
    {
        if (ReadString(element, "assignee_email", problems) is not { } text)
        {
            return null;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && at < text.Length - 1 && text.IndexOf('@', at + 1) < 0)
        {
            return text;
        }

        problems.Add($"assignee_email {Quote(text)} must hold exactly one '@' with text on both sides");
        return null;
    }

    private static string? ReadFields(JsonElement element, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"fields must be a JSON object, not {Describe(element.ValueKind)}");
            return null;
        }

        if (element.TryGetProperty("title", out var title) && title.ValueKind != JsonValueKind.String)
        {
            problems.Add($"fields.title must be a string, not {Describe(title.ValueKind)}");
            return null;
        }

        return element.GetRawText();
    }

    private static long? ReadVersionNumber(JsonElement element, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            problems.Add($"version must be a JSON number, not {Describe(element.ValueKind)}");
            return null;
        }

        if (element.TryGetInt64(out var number) && number >= 0)
        {
            return number;
        }

        problems.Add($"version {Clip(element.GetRawText())} is not a non-negative integer (at most {long.MaxValue})");
        return null;
    }

    private static string? ReadString(JsonElement element, string name, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{name} must be a JSON string, not {Describe(element.ValueKind)}");
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            problems.Add($"{name} is not valid Unicode text (an escaped lone surrogate)");
            return null;
        }
    }

    private static string DescribeUnknown(List<string> unknown)
    {
        var listed = string.Join(", ", unknown.Take(MaxListedMembers).Select(name => Quote(name, 64)));
        var more = unknown.Count > MaxListedMembers ? $" and {unknown.Count - MaxListedMembers} more" : "";
        var noun = unknown.Count == 1 ? "member" : "members";
        return $"message has unknown {noun} {listed}{more} (known: {string.Join(", ", KnownMembers)})";
    }

    private static string DescribeJsonError(JsonException exception)
    {
        // The message ends with " Path: … | LineNumber: … | BytePositionInLine: …."; the position is reported 1-based instead.
        var message = exception.Message;
        foreach (var marker in (string[])[" Path:", " LineNumber:"])
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut >= 0)
            {
                message = message[..cut];
            }
        }

        message = Clip(message.TrimEnd(), 200);
        return exception.LineNumber is { } line
            ? $"message is not valid JSON at line {line + 1}, byte {exception.BytePositionInLine + 1} of that line: {message}"
            : $"message is not valid JSON: {message}";
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[1024];
        var offset = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(bytes[offset..], chars, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != System.Buffers.OperationStatus.DestinationTooSmall)
            {
                return offset;
            }
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Quote(string text, int max = MaxQuoted) => $"'{Clip(text, max)}'";

    private static string Clip(string text, int max = MaxQuoted)
    {
        if (text.Length > max)
        {
            var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max; // never split a surrogate pair
            text = string.Concat(text.AsSpan(0, cut), "…");
        }

        // Keep the reason on one line.
        return text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static TaskMessageParse.Invalid Invalid(string reason) => new(reason);
}
