using Integration.Imports.Csv;

namespace Integration.Imports;

/// <summary>
/// Checks a file while it uploads instead of in a pass of its own, so a large file is read once: every chunk the
/// upload sends is fed to an incremental <see cref="CsvInspector"/> first (the same checks, on the same buffer, no copy).
/// The upload ends its body only once the whole file has passed (<see cref="Tap.Complete"/>); a problem stops it
/// before its last byte, so the partner never receives a complete request for a file that fails the checks.
/// </summary>
internal sealed class UploadInspection(CsvLimits limits)
{
    private volatile CsvInspection? _result;

    /// <summary>The finished inspection, once one attempt has read the whole file (or met a problem).</summary>
    public CsvInspection? Result => _result;

    /// <summary>One attempt's tap: a fresh pass over the bytes that attempt sends.</summary>
    public Tap Start() => new(this, new CsvInspector.CsvIncrementalInspection(limits));

    internal sealed class Tap(UploadInspection owner, CsvInspector.CsvIncrementalInspection inspection)
    {
        /// <summary>Checks a chunk about to be sent; throws <see cref="UploadRejectedException"/> at the first problem.</summary>
        public void Feed(ReadOnlySpan<byte> chunk)
        {
            if (inspection.Feed(chunk) is { } problem)
            {
                owner._result = problem;
                throw new UploadRejectedException(problem);
            }
        }

        /// <summary>The whole file went through: the verdict; throws when the file fails the checks.</summary>
        public CsvInspection.Valid Complete()
        {
            var result = inspection.Complete();
            owner._result = result;
            return result as CsvInspection.Valid ?? throw new UploadRejectedException((CsvInspection.Invalid)result);
        }
    }
}

/// <summary>The file failed the checks while it was uploading; the upload was stopped before its end. Not transient.</summary>
public sealed class UploadRejectedException : Exception
{
    public UploadRejectedException()
    {
    }

    public UploadRejectedException(string message)
        : base(message)
    {
    }

    public UploadRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal UploadRejectedException(CsvInspection.Invalid problem)
        : base($"The file failed the checks while uploading ({problem.Code}); the upload was stopped before its end.") => Problem = problem;

    internal CsvInspection.Invalid? Problem { get; }
}
