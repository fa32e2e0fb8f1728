using System.Collections.Frozen;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.DeadLetters;

/// <summary>Application properties of dead-lettered task messages that the redrive reads, writes or leaves out.</summary>
public static class DeadLetterProperties
{
    /// <summary>How often the message was redriven already (the loop guard's counter); each redriven copy carries it plus one.</summary>
    public const string RedriveCount = "RedriveCount";

    /// <summary>The <see cref="RedrivePass.Id"/> of the pass that sent the copy: that pass leaves the copy alone if it fails again.</summary>
    public const string RedrivePass = "RedrivePass";

    /// <summary>Service Bus keeps a dead-letter's reason among its application properties, under this name.</summary>
    public const string Reason = "DeadLetterReason";

    /// <summary>Service Bus keeps a dead-letter's description among its application properties, under this name.</summary>
    public const string Description = "DeadLetterErrorDescription";

    /// <summary>
    /// What a redriven copy leaves out: why and how it failed, so that it starts over (attempts counted from one).
    /// Everything else, <see cref="P.TaskUid"/> included, is kept.
    /// </summary>
    public static FrozenSet<string> DroppedOnRedrive { get; } = new[]
    {
        Reason,
        Description,
        P.HttpStatus,
        P.PartnerErrorBody,
        P.PartnerRequestId,
        P.Attempt,
        P.ClientErrorCount,
        P.FirstFailureAt,
        P.LastFailureAt,
    }.ToFrozenSet(StringComparer.Ordinal);
}
