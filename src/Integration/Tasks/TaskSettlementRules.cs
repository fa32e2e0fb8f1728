using Integration.Common;

namespace Integration.Tasks;

/// <summary>
/// The one decision of the task path, pure: from Fragment's answer, the message's attempt history and the options to a
/// <see cref="TaskSettlementDecision"/>. The single and the batch handler both settle by it.
/// </summary>
public static class TaskSettlementRules
{
    /// <param name="jitter">A number in [0, 1) spreading retries (the caller draws it; tests pass it).</param>
    public static TaskSettlementDecision Decide(FragmentAnswer answer, TaskAttemptHistory history, TasksOptions options, DateTimeOffset now, double jitter)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(options);
        if (answer.NoSlotBefore is { } slot)
        {
            // Nothing was sent for lack of budget: delay the message without counting an attempt.
            return new TaskSettlementDecision.Reschedule(AtLeastOneSecond(slot - now), null);
        }

        var attempt = history.ThisAttempt;
        var status = answer.Status;
        switch (TransientHttp.Classify(status))
        {
            case PartnerAnswerClass.Accepted:
                return new TaskSettlementDecision.Complete();
            case PartnerAnswerClass.Invalid:
                return new TaskSettlementDecision.DeadLetter(TaskDeadLetterReasons.Rejected(status!.Value), $"Fragment rejected the task with HTTP {status}.", Refused: true);
            case PartnerAnswerClass.CredentialRefused:
                return new TaskSettlementDecision.PauseSending(options.AuthFailureDelay, history);
            case PartnerAnswerClass.ClientError:
                var clientErrors = history.ClientErrors + 1;
                return clientErrors >= options.MaxClientErrorAttempts
                    ? new TaskSettlementDecision.DeadLetter(TaskDeadLetterReasons.Rejected(status!.Value), $"Fragment answered HTTP {status} on {clientErrors} attempts.", Refused: true)
                    : new TaskSettlementDecision.Reschedule(Backoff(attempt, options, jitter), new TaskAttemptHistory(attempt, clientErrors));
            default: // 408, 429, 5xx, timeouts, connection failures, after the client's quick retries
                return attempt >= options.MaxAttempts
                    ? new TaskSettlementDecision.DeadLetter(
                        TaskDeadLetterReasons.RetriesExhausted,
                        $"Fragment stayed unavailable for {attempt} attempts (last: {answer.TransportFailure ?? $"HTTP {status}"}).",
                        Refused: false)
                    : new TaskSettlementDecision.Reschedule(
                        Max(Backoff(attempt, options, jitter), answer.RetryAfter ?? TimeSpan.Zero),
                        new TaskAttemptHistory(attempt, history.ClientErrors));
        }
    }

    /// <summary>Exponential from <see cref="TasksOptions.RetryBaseDelay"/>, capped at <see cref="TasksOptions.RetryMaxDelay"/>, jittered over its upper half.</summary>
    public static TimeSpan Backoff(int attempt, TasksOptions options, double jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ceiling = Math.Min(options.RetryMaxDelay.TotalSeconds, options.RetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20)));
        return TimeSpan.FromSeconds(ceiling / 2 + Math.Clamp(jitter, 0, 1) * ceiling / 2);
    }

    /// <summary>A batch-level answer that says nothing about which task is bad (400/422/other 4xx): send the tasks one by one.</summary>
    public static bool BatchNeedsOneByOne(FragmentAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.NoSlotBefore is null && TransientHttp.Classify(answer.Status) is PartnerAnswerClass.Invalid or PartnerAnswerClass.ClientError;
    }

    private static TimeSpan AtLeastOneSecond(TimeSpan delay) => Max(delay, TimeSpan.FromSeconds(1));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
