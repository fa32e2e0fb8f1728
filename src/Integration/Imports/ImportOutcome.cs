namespace Integration.Imports;

/// <summary>How one run of a drop ended (<see cref="ImportStatus"/>). Transient failures are thrown instead (<see cref="ImportRetryException"/>).</summary>
public sealed record ImportOutcome(string Status, string? ReportBlob, bool AlreadyImported);

/// <summary>
/// The run cannot finish now and must be tried again later: Dragonfruit stayed unavailable past the retry budget, or
/// another run holds the blob version's claim. In Azure the invocation fails and the trigger retries; locally the
/// watcher comes back on its next pass. The drop is never reported done.
/// </summary>
public class ImportRetryException : Exception
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

/// <summary>Another run holds this blob version's claim (until it finishes or the claim expires): nothing was sent.</summary>
public sealed class ImportClaimedElsewhereException : ImportRetryException
{
    public ImportClaimedElsewhereException()
    {
    }

    public ImportClaimedElsewhereException(string message)
        : base(message)
    {
    }

    public ImportClaimedElsewhereException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
