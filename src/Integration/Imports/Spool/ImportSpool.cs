using Microsoft.Extensions.Logging;

namespace Integration.Imports;

/// <summary>
/// A local copy of one blob version, written in order by the pass that reads and checks the file
/// (<see cref="Writing"/>), then read by ranges for its uploads (<see cref="Open"/>). The file has no name on disk once
/// created (unlinked at once; on Windows deleted when closed), so nothing is left behind, even by a process that dies,
/// and no other process can open it. A write that fails (disk full, I/O error) leaves the copy incomplete: it is then
/// not used, and the file is read from storage again.
/// </summary>
internal sealed partial class ImportSpool : IDisposable
{
    private readonly FileStream _file;
    private readonly Action<long> _release;
    private readonly ILogger _logger;
    private long _written;
    private bool _failed;
    private bool _disposed;

    private ImportSpool(FileStream file, long length, Action<long> release, ILogger logger)
    {
        _file = file;
        Length = length;
        _release = release;
        _logger = logger;
    }

    public long Length { get; }

    /// <summary>Every byte of the blob version was written, and nothing failed.</summary>
    public bool IsComplete => !_failed && !_disposed && _written == Length;

    public static ImportSpool Create(string directory, long length, Action<long> release, ILogger logger)
    {
        var path = Path.Combine(directory, $"import-{Guid.NewGuid():N}.spool");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            PreallocationSize = length, // the disk space is taken now: a full disk fails here, not halfway
            BufferSize = 0,
        };
        if (OperatingSystem.IsWindows())
        {
            options.Options = FileOptions.DeleteOnClose;
        }
        else
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path); // the open handle keeps the data; the name is gone
        }

        return new ImportSpool(file, length, release, logger);
    }

    /// <summary>Reads <paramref name="source"/> (the blob from its start) and copies what it reads here; the caller keeps owning <paramref name="source"/>.</summary>
    public Stream Writing(Stream source) => new SpoolingStream(source, this);

    /// <summary>Bytes <c>[start, start + length)</c> of the copy; only once it is complete.</summary>
    public Stream Open(long start, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsComplete)
        {
            throw new InvalidOperationException("The local copy is incomplete.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Length);
        return new SpoolRangeStream(_file.SafeFileHandle, start, length);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file.Dispose();
        _release(Length);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_failed || bytes.IsEmpty)
        {
            return;
        }

        if (_written + bytes.Length > Length)
        {
            _failed = true; // the blob is longer than the version opened: never served
            return;
        }

        try
        {
            RandomAccess.Write(_file.SafeFileHandle, bytes, _written);
            _written += bytes.Length;
        }
        catch (IOException e)
        {
            _failed = true;
            LogWriteFailed(e, _written);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the local copy failed after {Bytes} bytes; the file is read from storage again")]
    private partial void LogWriteFailed(Exception exception, long bytes);

    /// <summary>The pass's read: every byte read is copied to the spool on its way.</summary>
    private sealed class SpoolingStream(Stream source, ImportSpool spool) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            var read = source.Read(buffer);
            spool.Append(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await source.ReadAsync(buffer, cancellationToken);
            spool.Append(buffer.Span[..read]);
            return read;
        }
    }
}
