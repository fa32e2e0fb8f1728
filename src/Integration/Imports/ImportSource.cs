using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Integration.Imports;

/// <summary>
/// One version of a dropped blob (name, ETag, length), read by ranges of exactly that version. A small file
/// (up to <see cref="ImportsOptions.BufferMaxBytes"/>) is read once, when it is opened, and served from memory: one
/// storage call instead of three (properties, check, upload). Of a larger file the same call keeps that many first
/// bytes, which serve the check of its start. A file read in full before its upload can be read from a local copy
/// afterwards (<see cref="ReadFrom"/>), so storage is read once.
/// </summary>
public sealed class ImportSource
{
    private readonly BlobClient? _blob;
    private readonly BinaryData? _content;
    private BinaryData? _prefix;
    private ImportSpool? _spool;

    private ImportSource(string name, ETag version, long length, BlobClient? blob, BinaryData? content, BinaryData? prefix = null)
    {
        Name = name;
        Version = version;
        Length = length;
        _blob = blob;
        _content = content;
        _prefix = prefix;
    }

    public string Name { get; }

    public ETag Version { get; }

    public long Length { get; }

    /// <summary>The whole file is in memory (read when opened).</summary>
    public bool IsBuffered => _content is not null;

    /// <summary>A source over bytes in memory (tests, tools).</summary>
    public static ImportSource FromBytes(string name, ETag version, BinaryData content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new ImportSource(name, version, content.ToMemory().Length, null, content);
    }

    /// <summary>
    /// The blob's current version, or null when it no longer exists. One ranged GET of the first
    /// <paramref name="bufferMaxBytes"/>: it gives the ETag and the length, and the whole content when the file is that small.
    /// </summary>
    public static async Task<ImportSource?> OpenAsync(BlobClient blob, long bufferMaxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (bufferMaxBytes <= 0)
        {
            return await PropertiesAsync(blob, cancellationToken);
        }

        try
        {
            var answer = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(0, bufferMaxBytes) }, cancellationToken);
            using var download = answer.Value;
            var length = TotalLength(download.Details.ContentRange) ?? download.Details.ContentLength;
            var bytes = new byte[download.Details.ContentLength]; // exactly what this GET returns: no growing buffer
            await download.Content.ReadExactlyAsync(bytes, cancellationToken);
            var content = BinaryData.FromBytes(bytes);
            return length > bufferMaxBytes
                ? new ImportSource(blob.Name, download.Details.ETag, length, blob, null, content)
                : new ImportSource(blob.Name, download.Details.ETag, content.ToMemory().Length, blob, content);
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return await PropertiesAsync(blob, cancellationToken); // an empty blob has no range to read
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Bytes <c>[range.Start, range.Start + range.Length)</c> of this version (to the end when the length is 0).</summary>
    public async Task<Stream> OpenAsync(ByteRange range, CancellationToken cancellationToken)
    {
        var length = range.Length > 0 ? range.Length : Length - range.Start;
        if ((_content ?? (range.Start + length <= _prefix?.ToMemory().Length ? _prefix : null)) is { } inMemory)
        {
            var memory = inMemory.ToMemory().Slice((int)range.Start, (int)length);
            return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(memory.ToArray(), writable: false);
        }

        if (_spool is { IsComplete: true } spool)
        {
            return spool.Open(range.Start, length);
        }

        // One streamed GET of exactly that range and this version only: several times faster than OpenReadAsync's
        // range-by-range reads (bench/results). An empty range sends no Range header, so an empty blob reads as empty.
        var answer = await _blob!.DownloadStreamingAsync(
            new BlobDownloadOptions
            {
                Range = length > 0 ? new HttpRange(range.Start, length) : new HttpRange(range.Start),
                Conditions = new BlobRequestConditions { IfMatch = Version },
            },
            cancellationToken);
        return answer.Value.Content;
    }

    /// <summary>
    /// From now on ranges are read from <paramref name="spool"/>, a complete local copy of this version written by the pass
    /// that checked it; once the copy is disposed, from storage again.
    /// </summary>
    internal void ReadFrom(ImportSpool spool) => _spool = spool;

    /// <summary>The first bytes of a streamed file were used (the check of its start): let them go.</summary>
    public void ForgetPrefix() => _prefix = null;

    /// <summary>From <paramref name="offset"/> to the end.</summary>
    public Task<Stream> OpenAtAsync(long offset, CancellationToken cancellationToken) =>
        OpenAsync(new ByteRange(offset, Length - offset), cancellationToken);

    private static async Task<ImportSource?> PropertiesAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return new ImportSource(blob.Name, properties.ETag, properties.ContentLength, blob, properties.ContentLength == 0 ? BinaryData.Empty : null);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The total of a <c>Content-Range: bytes a-b/total</c> header.</summary>
    private static long? TotalLength(string? contentRange) =>
        contentRange?.LastIndexOf('/') is int slash and >= 0 && long.TryParse(contentRange[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var total)
            ? total
            : null;
}
