using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// Local copies of the blob versions being imported (<see cref="ImportSpool"/>). A file read in full before its upload (checked
/// first, or split into parts) is copied to local disk by that read, and its uploads read the copy instead of storage a
/// second time. Room is reserved per process up to <see cref="ImportsOptions.SpoolMaxBytes"/>, and only while the disk keeps
/// <see cref="ImportsOptions.SpoolFreeBytes"/> free; a file without room is read from storage again, as with the spool off.
/// </summary>
public sealed partial class ImportSpools(IOptions<ImportsOptions> options, ILogger<ImportSpools> logger)
{
    private readonly Lock _lock = new();
    private long _reserved;

    /// <summary>Bytes reserved by the copies open now.</summary>
    public long Reserved
    {
        get
        {
            lock (_lock)
            {
                return _reserved;
            }
        }
    }

    /// <summary>
    /// Why a copy of <paramref name="length"/> bytes is not made (null: it is): the decision alone, from the settings, what
    /// is already reserved and the disk's free space and kind.
    /// </summary>
    public static string? Refusal(long length, long reserved, ImportsOptions options, long availableBytes, bool memoryBacked)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SpoolMaxBytes <= 0)
        {
            return "the spool is off (Imports:SpoolMaxBytes is 0)";
        }

        if (reserved + length > options.SpoolMaxBytes)
        {
            return $"{reserved + length} bytes would be spooled at once, more than Imports:SpoolMaxBytes ({options.SpoolMaxBytes})";
        }

        if (memoryBacked && string.IsNullOrEmpty(options.SpoolDirectory))
        {
            return "the temporary folder is memory-backed (tmpfs): a copy would take the instance's memory; name a folder in Imports:SpoolDirectory to use it anyway";
        }

        // Copies already created hold their space (preallocated), so counting them again errs on the safe side; it also
        // covers copies reserved but not created yet.
        return availableBytes - reserved - length < options.SpoolFreeBytes
            ? $"the disk has {availableBytes} bytes free, and a copy would leave less than Imports:SpoolFreeBytes ({options.SpoolFreeBytes})"
            : null;
    }

    /// <summary>A new, empty copy of <paramref name="length"/> bytes for <paramref name="blobName"/>, or null when there is no room for it.</summary>
    internal ImportSpool? TryCreate(string blobName, long length)
    {
        var settings = options.Value;
        if (settings.SpoolMaxBytes <= 0 || length <= 0)
        {
            return null;
        }

        var directory = string.IsNullOrEmpty(settings.SpoolDirectory) ? Path.GetTempPath() : settings.SpoolDirectory;
        try
        {
            var disk = new DriveInfo(directory);
            lock (_lock)
            {
                if (Refusal(length, _reserved, settings, disk.AvailableFreeSpace, disk.DriveType == DriveType.Ram) is { } refusal)
                {
                    LogNotSpooled(blobName, refusal);
                    return null;
                }

                _reserved += length;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogSpoolFailed(e, blobName, directory);
            return null;
        }

        try
        {
            return ImportSpool.Create(directory, length, Release, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Release(length);
            LogSpoolFailed(e, blobName, directory);
            return null;
        }
    }

    private void Release(long length)
    {
        lock (_lock)
        {
            _reserved -= length;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Blob {BlobName} is not copied to local disk, {Reason}; its uploads read it from storage again")]
    private partial void LogNotSpooled(string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {BlobName} could not be copied to local disk in {SpoolDirectory}; its uploads read it from storage again")]
    private partial void LogSpoolFailed(Exception exception, string blobName, string spoolDirectory);
}
