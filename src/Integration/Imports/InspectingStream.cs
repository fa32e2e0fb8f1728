using Integration.Imports.Csv;

namespace Integration.Imports;

/// <summary>
/// A read-only stream that feeds what is read through it to an incremental <see cref="CsvInspector"/>, so a pass that
/// reads the file anyway (planning parts after a 413) checks it too. At the first problem it ends, as if at the end of
/// the file: the reader stops early and the inspection's <c>Complete</c> gives the problem.
/// </summary>
internal sealed class InspectingStream(Stream source, CsvInspector.CsvIncrementalInspection inspection) : Stream
{
    private bool _problem;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_problem)
        {
            return 0;
        }

        var read = source.Read(buffer);
        return Inspect(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_problem)
        {
            return 0;
        }

        var read = await source.ReadAsync(buffer, cancellationToken);
        return Inspect(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Inspect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0 && inspection.Feed(bytes) is not null)
        {
            _problem = true;
            return 0;
        }

        return bytes.Length;
    }
}
