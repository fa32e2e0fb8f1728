using System.Buffers;

namespace Integration.Imports.Csv;

/// <summary>
/// Finds CSV record boundaries in bytes fed chunk by chunk, without buffering them.
/// </summary>
/// <remarks>
/// Every <c>"</c> toggles quoting (so <c>""</c> inside quotes, an escaped quote, toggles twice and stays quoted);
/// a <c>\n</c> outside quotes ends a record, and a <c>\r</c> right before it is counted as part of the terminator.
/// Quotes in the middle of an unquoted field are not rejected: they open a quoted section, as in most lenient readers.
/// The scan jumps between quotes and line feeds with vectorised searches, so it costs little more than a memory scan.
/// <code>
/// var scanner = new CsvRecordScanner();
/// ReadOnlySpan&lt;byte&gt; chunk = ...;
/// while (scanner.TryReadRecord(ref chunk, out var record)) { ... }   // chunk is consumed when it returns false
/// ...
/// if (scanner.Complete(out var last)) { ... }                        // a final record without trailing newline
/// if (scanner.EndedInsideQuotes) { ... }                              // malformed: a quote was never closed
/// </code>
/// </remarks>
public sealed partial class CsvRecordScanner
{
    private static readonly SearchValues<byte> QuoteOrLineFeed = SearchValues.Create("\"\n"u8);

    private long _position;
    private long _recordStart;
    private long _quoteOpenedAt = -1;
    private bool _inQuotes;
    private bool _completed;
    private byte _lastByte;

    /// <param name="startOffset">Absolute offset of the first byte that will be fed (e.g. 3 after a skipped BOM).</param>
    public CsvRecordScanner(long startOffset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        _position = startOffset;
        _recordStart = startOffset;
    }

    /// <summary>Absolute offset just after the last byte fed.</summary>
    public long Position => _position;

    /// <summary>Absolute offset where the record being scanned (not yet ended) starts.</summary>
    public long RecordStart => _recordStart;

    /// <summary>Whether the last byte fed is inside a quoted section.</summary>
    public bool InQuotes => _inQuotes;

    /// <summary>Absolute offset of the quote that opened the current quoted section; -1 outside quotes.</summary>
    public long QuoteOpenedAt => _inQuotes ? _quoteOpenedAt : -1;

    /// <summary>After <see cref="Complete"/>: the input ended inside a quoted section (a closing quote is missing).</summary>
    public bool EndedInsideQuotes { get; private set; }

    /// <summary>
    /// Scans <paramref name="chunk"/> up to the next record end. Returns true with the record and leaves
    /// <paramref name="chunk"/> positioned after it; returns false once the whole chunk is consumed (it is then empty).
    /// </summary>
    public bool TryReadRecord(ref ReadOnlySpan<byte> chunk, out CsvRecord record)
    {
        ThrowIfCompleted();
        var span = chunk;
        var index = 0;
        while (true)
        {
            var rest = span[index..];
            var found = _inQuotes ? rest.IndexOf((byte)'"') : rest.IndexOfAny(QuoteOrLineFeed);
            if (found < 0)
            {
                break;
            }

            var at = index + found;
            if (span[at] == (byte)'"')
            {
                _inQuotes = !_inQuotes;
                if (_inQuotes)
                {
                    _quoteOpenedAt = _position + at;
                }

                index = at + 1;
                continue;
            }

            var end = _position + at + 1;
            var previous = at > 0 ? span[at - 1] : _lastByte;
            var terminator = previous == (byte)'\r' && end - _recordStart >= 2 ? 2 : 1;
            record = new CsvRecord(_recordStart, end, terminator);
            _recordStart = end;
            _position = end;
            _lastByte = (byte)'\n';
            chunk = span[(at + 1)..];
            return true;
        }

        if (!span.IsEmpty)
        {
            _lastByte = span[^1];
            _position += span.Length;
        }

        chunk = default;
        record = default;
        return false;
    }

    /// <summary>
    /// Ends the input. Returns true with the final record when bytes follow the last line feed
    /// (check <see cref="EndedInsideQuotes"/>: such a record may be cut inside a quoted field).
    /// </summary>
    public bool Complete(out CsvRecord record)
    {
        ThrowIfCompleted();
        _completed = true;
        EndedInsideQuotes = _inQuotes;
        if (_position == _recordStart)
        {
            record = default;
            return false;
        }

        record = new CsvRecord(_recordStart, _position, !_inQuotes && _lastByte == (byte)'\r' ? 1 : 0);
        _recordStart = _position;
        return true;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The scanner has already been completed.");
        }
    }
}
