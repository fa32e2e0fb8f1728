using System.Text.Json;

namespace Integration.Sandbox;

/// <summary>
/// One task as the Fragment fake stores it. <paramref name="Fields"/> holds detached <see cref="JsonElement"/>s (safe to keep);
/// <paramref name="DueAt"/> keeps the offset the client sent.
/// </summary>
public sealed record FragmentTask(
    Guid Uid,
    string Status,
    DateTimeOffset? DueAt,
    string? AssigneeEmail,
    IReadOnlyDictionary<string, JsonElement> Fields,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary><c>fields.title</c> when it is a string, else null.</summary>
    public string? Title => Fields.TryGetValue("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null;
}
