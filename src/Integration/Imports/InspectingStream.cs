using Integration.Imports.Csv;

namespace Integration.Imports;

/// <summary>
/// A read-only stream that feeds what is read through it to an incremental <see cref="CsvInspector"/>, so a pass that
/// reads the file anyway (planning parts after a 413) checks it too. At the first problem it ends, as if at the end of
/// the file: the reader stops early and the inspection's <c>Complete</c> gives the problem.
/// </summary>
internal sealed class InspectingStream(Stream source, CsvInspector.CsvIncrementalInspection inspection) : ReadOnlyStream
{
    private bool _problem;

    public override int Read(Span<byte> buffer)
    {
        if (_problem)
        {
            return 0;
        }

        var read = source.Read(buffer);
        return Inspect(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_problem)
        {
            return 0;
        }

        var read = await source.ReadAsync(buffer, cancellationToken);
        return Inspect(buffer.Span[..read]);
    }

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
