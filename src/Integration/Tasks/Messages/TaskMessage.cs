using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Integration.Tasks.Messages;

/// <summary>
/// One task upsert for Fragment, as read from a queue message by <see cref="TaskMessageParser"/>.
/// Absent optional members stay null and are left out of <see cref="ToFragmentBody"/>.
/// </summary>
public sealed record TaskMessage
{
    // An HTTP request body, never embedded in HTML: '+' and non-ASCII letters need no escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Fragment's task uid (from <c>uid</c>, or derived from <c>external_id</c> by <see cref="FragmentUid"/>).</summary>
    public required Guid Uid { get; init; }

    /// <summary>The producer's own key, when the message carried <c>external_id</c>.</summary>
    public string? ExternalId { get; init; }

    public TaskMessageStatus? Status { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public string? AssigneeEmail { get; init; }

    /// <summary>The <c>fields</c> object exactly as received (raw JSON text), passed through to Fragment unchanged.</summary>
    public string? FieldsJson { get; init; }

    /// <summary>Orders updates of the same task; see <see cref="TaskVersion.TryCompare"/>.</summary>
    public required TaskVersion Version { get; init; }

    /// <summary>
    /// The JSON body for <c>PUT /tasks/{uid}</c>: <c>status</c>, <c>due_at</c>, <c>assignee_email</c> and
    /// <c>fields</c>, each only when present (never a null for an absent one). <c>due_at</c> is written as
    /// RFC 3339 with its original offset, to the microsecond (finer digits are truncated).
    /// </summary>
    public string ToFragmentBody()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (Status is { } status)
            {
                writer.WriteString("status", ToWire(status));
            }

            if (DueAt is { } dueAt)
            {
                writer.WriteString("due_at", dueAt.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", CultureInfo.InvariantCulture));
            }

            if (AssigneeEmail is { } assigneeEmail)
            {
                writer.WriteString("assignee_email", assigneeEmail);
            }

            if (FieldsJson is { } fieldsJson)
            {
                writer.WritePropertyName("fields");
                writer.WriteRawValue(fieldsJson);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The wire name of a status: <c>TODO</c>, <c>STARTED</c> or <c>DONE</c>.</summary>
    public static string ToWire(TaskMessageStatus status) => status switch
    {
        TaskMessageStatus.Todo => "TODO",
        TaskMessageStatus.Started => "STARTED",
        TaskMessageStatus.Done => "DONE",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a Fragment task status."),
    };
}
