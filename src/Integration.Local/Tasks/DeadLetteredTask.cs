namespace Integration.Local.Tasks;

/// <summary>A message in the local dead-letter queue, with why it is there.</summary>
/// <param name="Properties">The message's properties, overlaid with those given when it was dead-lettered.</param>
public sealed record DeadLetteredTask(
    string MessageId,
    BinaryData Body,
    string Reason,
    string Description,
    IReadOnlyDictionary<string, object> Properties,
    DateTimeOffset DeadLetteredAt);
