namespace Integration.Imports;

/// <summary>How one trigger of a drop ended. Transient failures are thrown instead (<see cref="ImportRetryException"/>).</summary>
public sealed record ImportOutcome(string Status, string? ReportBlob, bool AlreadyImported)
{
    public const string Succeeded = "succeeded";
    public const string SucceededWithRowErrors = "succeeded_with_row_errors";
    public const string Rejected = "rejected";
    public const string Failed = "failed";

    /// <summary>A part's body reached Dragonfruit in full but its answer was lost: held for an operator (<see cref="LostAnswerPolicy.Hold"/>).</summary>
    public const string Unknown = "outcome_unknown";
}

/// <summary>Dragonfruit stayed unavailable past the retry budget: the trigger should run again later.</summary>
public sealed class ImportRetryException : Exception
{
    public ImportRetryException()
    {
    }

    public ImportRetryException(string message)
        : base(message)
    {
    }

    public ImportRetryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
