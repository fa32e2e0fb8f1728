namespace Integration.Sandbox.Hosting;

/// <summary>A read-only view of <paramref name="inner"/> that fails once more than <paramref name="limit"/> bytes (null: no limit) were read.</summary>
internal sealed class LimitedReadStream(Stream inner, long? limit) : Stream
{
    public long BytesRead { get; private set; }

    /// <summary>True once a read went past the limit; reads then throw <see cref="IOException"/>.</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > limit)
        {
            Exceeded = true;
            throw new IOException("The request body exceeds the upload limit.");
        }

        return read;
    }
}
