namespace Integration.Imports;

/// <summary>One multipart upload: a sheet's bytes as ranges of the source, re-openable at any offset.</summary>
public sealed record ImportUpload(
    long CustomerId,
    string Sheet,
    string FileName,
    IReadOnlyList<ByteRange> Ranges,
    Func<long, CancellationToken, Task<Stream>> OpenAt)
{
    /// <summary>Set when the file is checked while it uploads rather than before (<see cref="ImportsOptions.PrevalidateMaxBytes"/>).</summary>
    internal UploadInspection? Inspection { get; init; }

    public long Bytes => Ranges.Sum(range => range.Length);
}
