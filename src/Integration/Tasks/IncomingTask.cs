namespace Integration.Tasks;

/// <summary>A task message as any queue delivers it (Service Bus in Azure, the local stand-in elsewhere).</summary>
public sealed record IncomingTask(
    string MessageId,
    BinaryData Body,
    int DeliveryCount,
    IReadOnlyDictionary<string, object> Properties,
    DateTimeOffset EnqueuedAt);
