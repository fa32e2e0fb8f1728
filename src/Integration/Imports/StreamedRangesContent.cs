using System.Net;

namespace Integration.Imports;

/// <summary>
/// HTTP content made of byte ranges of a source, each opened fresh when the content is written, so nothing is held
/// in memory and every attempt re-reads the source (a consumed stream cannot be re-sent). With an
/// <see cref="UploadInspection"/> not yet finished, the bytes are checked as they go and the content ends only once
/// they all passed. <paramref name="bodyCompleting"/> runs after the last byte of the ranges and before the request's
/// end (the multipart closing boundary), so whatever it records is durable before the partner can hold a complete request.
/// </summary>
internal sealed class StreamedRangesContent(
    ImportSource source,
    IReadOnlyList<ByteRange> ranges,
    UploadInspection? inspection = null,
    Func<CancellationToken, Task>? bodyCompleting = null) : HttpContent
{
    private const int BufferSize = 1024 * 1024;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        var tap = inspection is { Result: null } ? inspection.Start() : null;
        try
        {
            foreach (var range in ranges)
            {
                await using var read = await source.OpenAsync(range, cancellationToken);
                for (var left = range.Length; left > 0;)
                {
                    var count = await read.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                    if (count == 0)
                    {
                        throw new IOException($"The source ended {left} bytes before the end of range {range}.");
                    }

                    if (tap is not null)
                    {
                        tap.Feed(buffer.AsSpan(0, count));
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, count), cancellationToken);
                    left -= count;
                }
            }

            if (tap is not null)
            {
                tap.Complete(); // throws, leaving the body unfinished, when the file fails the checks
            }

            if (bodyCompleting is not null)
            {
                await bodyCompleting(cancellationToken);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = ranges.Sum(range => range.Length);
        return true;
    }
}
