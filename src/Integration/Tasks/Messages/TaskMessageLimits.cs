namespace Integration.Tasks.Messages;

/// <summary>What <see cref="TaskMessageParser"/> accepts.</summary>
public sealed record TaskMessageLimits
{
    /// <summary>256 KiB, the Service Bus standard tier message size.</summary>
    public const int DefaultMaxBytes = 256 * 1024;

    public static TaskMessageLimits Default { get; } = new();

    /// <summary>Largest accepted message body, in bytes.</summary>
    public int MaxBytes { get; init; } = DefaultMaxBytes;
}
