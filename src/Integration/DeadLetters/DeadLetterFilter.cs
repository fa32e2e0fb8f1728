namespace Integration.DeadLetters;

/// <summary>
/// Which dead-letters a listing or a redrive takes. Every criterion given must hold; within one, any value does.
/// Nothing given takes everything.
/// </summary>
public sealed record DeadLetterFilter
{
    public static DeadLetterFilter All { get; } = new();

    /// <summary><see cref="DeadLetterFingerprint.Key"/>s, e.g. <c>Rejected422|422|value_error.missing</c> (case-insensitive).</summary>
    public IReadOnlyCollection<string> Fingerprints { get; init; } = [];

    /// <summary>Dead-letter reasons, e.g. <c>RetriesExhausted</c> (case-insensitive).</summary>
    public IReadOnlyCollection<string> Reasons { get; init; } = [];

    /// <summary>Task message ids (exact).</summary>
    public IReadOnlyCollection<string> MessageIds { get; init; } = [];

    /// <summary>Earliest <see cref="DeadLetteredMessage.FailedAt"/> taken (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the time window on <see cref="DeadLetteredMessage.FailedAt"/> (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    public bool Matches(DeadLetteredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (Reasons.Count == 0 || Reasons.Contains(message.Reason, StringComparer.OrdinalIgnoreCase))
            && (MessageIds.Count == 0 || MessageIds.Contains(message.MessageId, StringComparer.Ordinal))
            && (From is null || message.FailedAt >= From)
            && (To is null || message.FailedAt < To)
            && (Fingerprints.Count == 0 || Fingerprints.Contains(message.Fingerprint.Key, StringComparer.OrdinalIgnoreCase));
    }
}
