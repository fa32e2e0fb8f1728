using System.Globalization;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.DeadLetters;

/// <summary>A dead-lettered task message as the queue holds it, with what its properties say about the failure.</summary>
/// <param name="MessageId">The task message's id (kept by a redrive).</param>
/// <param name="Properties">Application properties, including the diagnostics the handler wrote when it dead-lettered the message.</param>
/// <param name="EnqueuedAt">When the message (or its last delayed copy) was enqueued on the task queue.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered, where the queue records it (the local stand-in does; Service Bus does not).</param>
public sealed record DeadLetteredMessage(
    string MessageId,
    BinaryData Body,
    string Reason,
    string Description,
    IReadOnlyDictionary<string, object> Properties,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? DeadLetteredAt)
{
    /// <summary>Fragment's last answer, if there was one.</summary>
    public int? HttpStatus =>
        Properties.TryGetValue(P.HttpStatus, out var value) && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out var status)
            ? status
            : null;

    /// <summary>Attempts made (0 when the message never reached Fragment, e.g. invalid).</summary>
    public int Attempts => P.Count(Properties, P.Attempt);

    public DateTimeOffset? FirstFailureAt => P.When(Properties, P.FirstFailureAt);

    public DateTimeOffset? LastFailureAt => P.When(Properties, P.LastFailureAt);

    /// <summary>The time filters and groups use: when it was dead-lettered, else its last failure, else when it was enqueued.</summary>
    public DateTimeOffset FailedAt => DeadLetteredAt ?? LastFailureAt ?? EnqueuedAt;

    public string? TaskUid => Text(P.TaskUid);

    public string? PartnerRequestId => Text(P.PartnerRequestId);

    /// <summary>Fragment's answer body as kept (truncated and redacted).</summary>
    public string? PartnerErrorBody => Text(P.PartnerErrorBody);

    /// <summary>The error code in <see cref="PartnerErrorBody"/>, when one of the shapes it is looked for in is there.</summary>
    public string? PartnerErrorCode => DeadLetterFingerprint.ParseErrorCode(PartnerErrorBody);

    /// <summary>How often this message was redriven already.</summary>
    public int RedriveCount => P.Count(Properties, DeadLetterProperties.RedriveCount);

    public DeadLetterFingerprint Fingerprint => DeadLetterFingerprint.Of(this);

    private string? Text(string name) =>
        Properties.TryGetValue(name, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null;
}
