using Microsoft.Win32.SafeHandles;

namespace Integration.Imports;

/// <summary>A range of a local copy, read at its own position (several can read one copy at once).</summary>
internal sealed class SpoolRangeStream(SafeFileHandle file, long start, long length) : ReadOnlyStream
{
    private long _position = start;
    private readonly long _end = start + length;

    public override int Read(Span<byte> buffer)
    {
        var read = RandomAccess.Read(file, buffer[..Next(buffer.Length)], _position);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await RandomAccess.ReadAsync(file, buffer[..Next(buffer.Length)], _position, cancellationToken);
        _position += read;
        return read;
    }

    private int Next(int wanted) => (int)Math.Min(wanted, _end - _position);
}
