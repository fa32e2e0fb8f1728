namespace Integration.DeadLetters;

/// <summary>Dead-letters sharing a <see cref="DeadLetterFingerprint"/>: one cause, how often, since when.</summary>
/// <param name="Fingerprint">The <see cref="DeadLetterFingerprint.Key"/> to filter a redrive by.</param>
/// <param name="FirstAt">Earliest <see cref="DeadLetteredMessage.FailedAt"/> in the group.</param>
/// <param name="LastAt">Latest <see cref="DeadLetteredMessage.FailedAt"/> in the group.</param>
/// <param name="SampleMessageIds">The oldest few message ids, to look at.</param>
public sealed record DeadLetterGroup(
    string Fingerprint,
    string Reason,
    int? HttpStatus,
    string? ErrorCode,
    int Count,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    IReadOnlyList<string> SampleMessageIds);
