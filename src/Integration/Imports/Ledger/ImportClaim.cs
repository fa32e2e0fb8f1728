namespace Integration.Imports;

/// <summary>
/// A run's hold on one blob version (the ledger's import row, written only with its ETag): while it holds the claim,
/// no other run sends anything for that version. Every write of the import row goes through it and fails with
/// <see cref="ImportClaimLostException"/> when another run took the version over.
/// </summary>
public sealed class ImportClaim
{
    internal ImportClaim(LedgerEntry row, bool takenOver)
    {
        Row = row;
        TakenOver = takenOver;
    }

    /// <summary>The import row as this run last wrote it.</summary>
    internal LedgerEntry Row { get; set; }

    /// <summary>The claim was taken from a run whose claim had expired (it died, or stalled).</summary>
    public bool TakenOver { get; }

    public string BlobName => Row.BlobName;

    public int Attempts => Row.Attempts;

    public DateTimeOffset ExpiresAt => Row.ClaimExpiresAt ?? DateTimeOffset.MinValue;

    /// <summary>Set once the file is sent in parts: their size limit.</summary>
    public long? PartLimit => Row.PartLimit;

    /// <summary>The ledger knew this version before this run (so it may have upload rows).</summary>
    public bool Known => Row.Attempts > 1 || TakenOver || Row.PartLimit is not null;
}

/// <summary>The result of claiming a blob version.</summary>
public abstract record ClaimResult
{
    private ClaimResult()
    {
    }

    public sealed record Claimed(ImportClaim Claim) : ClaimResult;

    /// <summary>The version reached a final status before: nothing to do.</summary>
    public sealed record Final(LedgerEntry Row) : ClaimResult;

    /// <summary>Another run holds the claim until <paramref name="Until"/>.</summary>
    public sealed record HeldElsewhere(string? Holder, DateTimeOffset? Until) : ClaimResult;
}

/// <summary>Another run took this blob version over (this run's claim had expired): this run must stop sending.</summary>
public sealed class ImportClaimLostException : ImportRetryException
{
    public ImportClaimLostException()
    {
    }

    public ImportClaimLostException(string message)
        : base(message)
    {
    }

    public ImportClaimLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
