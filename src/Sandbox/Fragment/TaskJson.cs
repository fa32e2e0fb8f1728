using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Sandbox.Fragment;

/// <summary>A task as Fragment answers it: the stored members plus read-only extras a client must ignore.</summary>
internal static class TaskJson
{
    /// <summary>Every sandbox task sits in this one queue.</summary>
    public const string QueueUid = "5a4d0b9e-0000-4000-8000-00000000f00d";

    public static JsonObject Render(FragmentTask task)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in task.Fields)
        {
            fields[name] = JsonNode.Parse(value.GetRawText());
        }

        return new JsonObject
        {
            ["uid"] = task.Uid.ToString("D"),
            ["status"] = task.Status,
            ["due_at"] = task.DueAt is { } due ? Iso(due) : null,
            ["assignee_email"] = task.AssigneeEmail,
            ["fields"] = fields,
            ["created_at"] = Iso(task.CreatedAt),
            ["updated_at"] = Iso(task.UpdatedAt),
            ["queue_uid"] = QueueUid,
            ["assignee"] = null,
        };
    }

    /// <summary>Python's <c>isoformat()</c> shape: microseconds and a <c>±hh:mm</c> offset.</summary>
    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
}
