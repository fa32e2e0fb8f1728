namespace Integration.Imports;

/// <summary>One multipart upload: a sheet's bytes as ranges of one blob version, each opened on its own (exactly that range).</summary>
public sealed record ImportUpload(
    long CustomerId,
    string Sheet,
    string FileName,
    IReadOnlyList<ByteRange> Ranges,
    ImportSource Source)
{
    /// <summary>Set when the file is checked while it uploads rather than before (<see cref="ImportsOptions.PrevalidateMaxBytes"/>).</summary>
    internal UploadInspection? Inspection { get; init; }

    /// <summary>Told when the body's end goes out and what came back, so a lost answer is known as such.</summary>
    internal IUploadListener? Listener { get; init; }

    public long Bytes => Ranges.Sum(range => range.Length);
}

/// <summary>The two moments of an upload that the ledger records (<see cref="ImportRun"/> writes them).</summary>
internal interface IUploadListener
{
    /// <summary>After the last byte of the CSV and before the request's end: from then on Dragonfruit may have it all.</summary>
    Task BodyCompletingAsync(CancellationToken cancellationToken);

    /// <summary>An answer that is not a success came back after the body's end: it certainly did not import.</summary>
    Task AnsweredAsync(int status, string? requestId, CancellationToken cancellationToken);
}
