namespace Integration.Tasks;

/// <summary>How a task message is settled after Fragment's answer: the value <see cref="TaskSettlementRules.Decide"/> returns.</summary>
public abstract record TaskSettlementDecision
{
    private TaskSettlementDecision()
    {
    }

    /// <summary>Fragment applied the task: record its version and complete the message.</summary>
    public sealed record Complete : TaskSettlementDecision;

    /// <summary>
    /// Give up on the message: dead-letter it with a typed reason and an operator-facing description.
    /// <paramref name="Refused"/>: Fragment definitively refused this version (it was never applied), so it gives the
    /// task's high-water mark back; not after timeouts, which may have been applied.
    /// </summary>
    public sealed record DeadLetter(string Reason, string Description, bool Refused) : TaskSettlementDecision;

    /// <summary>
    /// Send again later: a delayed copy after <paramref name="Delay"/>. <paramref name="Failure"/> is what the copy
    /// records of this attempt (null: nothing was sent, the attempt does not count).
    /// </summary>
    public sealed record Reschedule(TimeSpan Delay, TaskAttemptHistory? Failure) : TaskSettlementDecision;

    /// <summary>
    /// The credential was refused: pause sending for every instance for <paramref name="Pause"/> and delay the message as
    /// long, never dead-lettering it (<paramref name="Failure"/>: an attempt that does not count).
    /// </summary>
    public sealed record PauseSending(TimeSpan Pause, TaskAttemptHistory Failure) : TaskSettlementDecision;
}

/// <summary>
/// What a message's delayed copies have recorded: failed attempts so far (<see cref="Attempts"/>, the
/// <c>Attempt</c> property) and how many of them were client errors (<c>ClientErrorCount</c>).
/// </summary>
public readonly record struct TaskAttemptHistory(int Attempts, int ClientErrors)
{
    /// <summary>The number of the attempt being made now.</summary>
    public int ThisAttempt => Attempts + 1;

    public static TaskAttemptHistory Of(IReadOnlyDictionary<string, object> properties) =>
        new(TaskMessageProperties.Count(properties, TaskMessageProperties.Attempt), TaskMessageProperties.Count(properties, TaskMessageProperties.ClientErrorCount));
}
