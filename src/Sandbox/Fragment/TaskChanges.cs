using System.Text.Json;

namespace Integration.Sandbox.Fragment;

/// <summary>
/// The members a valid <c>PUT /tasks/{uid}</c> body gave; null means absent, except where a <c>Has*</c> flag says an explicit
/// JSON null was sent (which clears the member).
/// </summary>
internal sealed record TaskChanges(
    string? Status,
    bool HasDueAt,
    DateTimeOffset? DueAt,
    bool HasAssigneeEmail,
    string? AssigneeEmail,
    IReadOnlyDictionary<string, JsonElement>? Fields)
{
    public bool HasTitle => Fields is not null && Fields.TryGetValue("title", out var title) && title.ValueKind == JsonValueKind.String;
}
