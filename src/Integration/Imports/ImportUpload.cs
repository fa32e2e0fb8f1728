namespace Integration.Imports;

/// <summary>One multipart upload: a sheet's bytes as ranges of the source, each opened on its own (exactly that range).</summary>
public sealed record ImportUpload(
    long CustomerId,
    string Sheet,
    string FileName,
    IReadOnlyList<ByteRange> Ranges,
    Func<ByteRange, CancellationToken, Task<Stream>> OpenRange)
{
    /// <summary>Set when the file is checked while it uploads rather than before (<see cref="ImportsOptions.PrevalidateMaxBytes"/>).</summary>
    internal UploadInspection? Inspection { get; init; }

    /// <summary>Records in the ledger when the body's end goes out and what came back, so a lost answer is known as such.</summary>
    internal UploadJournal? Journal { get; init; }

    public long Bytes => Ranges.Sum(range => range.Length);
}
