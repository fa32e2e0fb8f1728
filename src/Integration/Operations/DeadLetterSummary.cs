using Integration.DeadLetters;

using Integration.Common;

namespace Integration.Operations;

/// <summary>
/// One dead-lettered task message as operators see it (CLI <c>--json</c> and <c>GET ops/deadletters</c>);
/// <paramref name="Body"/>, the message itself (secrets masked, cut at <see cref="MaxBodyChars"/>), only when asked for.
/// </summary>
public sealed record DeadLetterSummary(
    string MessageId,
    string Fingerprint,
    string Reason,
    string Description,
    int? HttpStatus,
    string? PartnerErrorCode,
    string? PartnerRequestId,
    int Attempts,
    int RedriveCount,
    DateTimeOffset? FirstFailureAt,
    DateTimeOffset? LastFailureAt,
    DateTimeOffset FailedAt,
    DateTimeOffset EnqueuedAt,
    string? TaskUid,
    string? PartnerErrorBody,
    string? Body = null)
{
    /// <summary>The longest message body a listing shows.</summary>
    public const int MaxBodyChars = 64 * 1024;

    public static DeadLetterSummary Of(DeadLetteredMessage message, bool withBody) =>
        withBody ? Of(message) with { Body = BodyText(message) } : Of(message);

    public static DeadLetterSummary Of(DeadLetteredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(
            message.MessageId, message.Fingerprint.Key, message.Reason, message.Description, message.HttpStatus, message.PartnerErrorCode,
            message.PartnerRequestId, message.Attempts, message.RedriveCount, message.FirstFailureAt, message.LastFailureAt, message.FailedAt,
            message.EnqueuedAt, message.TaskUid, message.PartnerErrorBody is { } body ? SecretRedactor.MaskSecrets(body, []) : null);
    }

    private static string BodyText(DeadLetteredMessage message)
    {
        var text = SecretRedactor.MaskSecrets(message.Body.ToString(), []);
        return text.Length <= MaxBodyChars ? text : text[..MaxBodyChars] + $"… ({text.Length - MaxBodyChars} more characters)";
    }
}
