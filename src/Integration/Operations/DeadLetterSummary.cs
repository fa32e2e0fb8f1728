using Integration.DeadLetters;

using Integration.Common;

namespace Integration.Operations;

/// <summary>One dead-lettered task message as operators see it (CLI <c>--json</c> and <c>GET ops/deadletters</c>).</summary>
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
    string? PartnerErrorBody)
{
    public static DeadLetterSummary Of(DeadLetteredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(
            message.MessageId, message.Fingerprint.Key, message.Reason, message.Description, message.HttpStatus, message.PartnerErrorCode,
            message.PartnerRequestId, message.Attempts, message.RedriveCount, message.FirstFailureAt, message.LastFailureAt, message.FailedAt,
            message.EnqueuedAt, message.TaskUid, message.PartnerErrorBody is { } body ? SecretRedactor.MaskSecrets(body, []) : null);
    }
}
