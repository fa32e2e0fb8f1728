using Integration.DeadLetters;

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
            message.EnqueuedAt, message.TaskUid, message.PartnerErrorBody);
    }
}

/// <summary>Filter and options of <c>POST ops/deadletters/redrive</c> (times as in <see cref="OpsJson.TryParseTime"/>).</summary>
public sealed record RedriveCommand(
    IReadOnlyList<string>? Fingerprints = null,
    IReadOnlyList<string>? Reasons = null,
    IReadOnlyList<string>? MessageIds = null,
    string? Since = null,
    string? Until = null,
    bool DryRun = false,
    double? MessagesPerSecond = null,
    int? MaxMessages = null)
{
    /// <summary>The core filter, or the problem with a time given.</summary>
    public DeadLetterFilter? ToFilter(DateTimeOffset now, out string? problem)
    {
        problem = null;
        DateTimeOffset? from = null, to = null;
        if (Since is not null)
        {
            if (!OpsJson.TryParseTime(Since, now, out var parsed))
            {
                problem = $"since: '{Since}' is neither an ISO 8601 time nor a duration such as 2h";
                return null;
            }

            from = parsed;
        }

        if (Until is not null)
        {
            if (!OpsJson.TryParseTime(Until, now, out var parsed))
            {
                problem = $"until: '{Until}' is neither an ISO 8601 time nor a duration such as 2h";
                return null;
            }

            to = parsed;
        }

        return new DeadLetterFilter { Fingerprints = Fingerprints ?? [], Reasons = Reasons ?? [], MessageIds = MessageIds ?? [], From = from, To = to };
    }
}
