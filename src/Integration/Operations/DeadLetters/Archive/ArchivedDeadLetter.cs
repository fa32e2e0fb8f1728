using System.Text.Json;
using Integration.DeadLetters;

namespace Integration.Operations.DeadLetters.Archive;

/// <summary>
/// A discarded dead-letter as the archive keeps it (one JSON blob each): everything needed to send it back, why it
/// failed, and who discarded it when (and why, if they said).
/// </summary>
/// <param name="Blob">The archive blob's name (not stored in it; filled in when read).</param>
public sealed record ArchivedDeadLetter(
    string MessageId,
    BinaryData Body,
    string Reason,
    string Description,
    IReadOnlyDictionary<string, object> Properties,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? DeadLetteredAt,
    string ArchivedBy,
    DateTimeOffset ArchivedAt,
    string? Note,
    string Blob = "")
{
    public static ArchivedDeadLetter Of(DeadLetteredMessage message, string actor, DateTimeOffset at, string? note)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(message.MessageId, message.Body, message.Reason, message.Description, message.Properties, message.EnqueuedAt, message.DeadLetteredAt, actor, at, note);
    }

    /// <summary>The dead-letter as it was, for filters and for the redrive path.</summary>
    public DeadLetteredMessage Message => new(MessageId, Body, Reason, Description, Properties, EnqueuedAt, DeadLetteredAt);

    internal BinaryData ToJson() => BinaryData.FromObjectAsJson(
        new Stored(MessageId, Convert.ToBase64String(Body.ToArray()), Reason, Description, Properties.ToDictionary(p => p.Key, p => p.Value), EnqueuedAt, DeadLetteredAt, ArchivedBy, ArchivedAt, Note));

    internal static ArchivedDeadLetter FromJson(string blob, BinaryData json)
    {
        var stored = json.ToObjectFromJson<Stored>() ?? throw new FormatException($"Archive blob {blob} is empty.");
        var properties = (stored.Properties ?? []).ToDictionary(p => p.Key, p => Primitive(p.Value), StringComparer.Ordinal);
        return new(
            stored.MessageId, BinaryData.FromBytes(Convert.FromBase64String(stored.Body)), stored.Reason, stored.Description, properties,
            stored.EnqueuedAt, stored.DeadLetteredAt, stored.ArchivedBy, stored.ArchivedAt, stored.Note, blob);
    }

    /// <summary>A property value as a queue accepts it again (JSON gives elements back).</summary>
    private static object Primitive(object value) => value is not JsonElement element ? value : element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number when element.TryGetInt32(out var i) => i,
        JsonValueKind.Number when element.TryGetInt64(out var l) => l,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => element.GetRawText(),
    };

    private sealed record Stored(
        string MessageId,
        string Body,
        string Reason,
        string Description,
        Dictionary<string, object>? Properties,
        DateTimeOffset EnqueuedAt,
        DateTimeOffset? DeadLetteredAt,
        string ArchivedBy,
        DateTimeOffset ArchivedAt,
        string? Note);
}
