using System.Buffers;

namespace Integration.Imports.Csv;

/// <summary>
/// Where a CSV's records start, at a chosen granularity: the header's bytes, then checkpoints (record starts at least
/// <see cref="Granularity"/> bytes apart, the data's start and the file's end always among them) with the number of data
/// rows before each. Built in one streaming pass (the same pass can check the file, see <c>InspectingStream</c>);
/// any later split of the file, from any checkpoint with any size limit, is then planned without reading it again
/// (<see cref="CsvPartPlanner.Plan"/>). Memory: two longs per checkpoint.
/// </summary>
public sealed class CsvRecordIndex
{
    private readonly List<long> _offsets = [];
    private readonly List<long> _rowsBefore = [];

    private CsvRecordIndex(long granularity) => Granularity = granularity;

    /// <summary>3 when the file starts with a UTF-8 BOM (not repeated in parts), else 0.</summary>
    public long HeaderStart { get; private set; }

    /// <summary>Bytes of the header row, its own line terminator included.</summary>
    public long HeaderLength { get; private set; }

    public long HeaderEnd => HeaderStart + HeaderLength;

    public long Granularity { get; }

    /// <summary>Data rows of the whole file (non-blank records after the header).</summary>
    public long DataRows => _rowsBefore.Count == 0 ? 0 : _rowsBefore[^1];

    public int Checkpoints => _offsets.Count;

    internal long OffsetAt(int checkpoint) => _offsets[checkpoint];

    internal long RowsBefore(int checkpoint) => _rowsBefore[checkpoint];

    /// <summary>The checkpoint at exactly <paramref name="offset"/>, or a negative number.</summary>
    internal int CheckpointAt(long offset) => _offsets.BinarySearch(offset);

    /// <summary>The last checkpoint at most <paramref name="offset"/>.</summary>
    internal int LastCheckpointAtOrBefore(long offset)
    {
        var found = _offsets.BinarySearch(offset);
        return found >= 0 ? found : ~found - 1;
    }

    /// <summary>
    /// Reads <paramref name="source"/> once. Meant for files the checks accept: one ending inside a quoted field throws
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task<CsvRecordIndex> BuildAsync(Stream source, long granularity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(granularity);
        var index = new CsvRecordIndex(granularity);
        var buffer = ArrayPool<byte>.Shared.Rent(CsvBytes.BufferSize);
        try
        {
            var memory = buffer.AsMemory(0, CsvBytes.BufferSize);
            var read = await source.ReadAtLeastAsync(memory, CsvBytes.Bom.Length, throwOnEndOfStream: false, cancellationToken);
            index.HeaderStart = buffer.AsSpan(0, read).StartsWith(CsvBytes.Bom) ? CsvBytes.Bom.Length : 0;
            var scanner = new CsvRecordScanner(index.HeaderStart);
            var skip = (int)index.HeaderStart;
            var headerSeen = false;
            long rows = 0;
            while (read > 0)
            {
                index.Scan(scanner, buffer.AsSpan(skip, read - skip), ref headerSeen, ref rows);
                skip = 0;
                read = await source.ReadAsync(memory, cancellationToken);
            }

            if (scanner.Complete(out var last))
            {
                if (scanner.EndedInsideQuotes)
                {
                    throw new InvalidDataException(FormattableString.Invariant(
                        $"The CSV ends inside a quoted field (the double quote at offset {scanner.QuoteOpenedAt} is never closed); it cannot be split on record boundaries."));
                }

                index.Add(last, ref headerSeen, ref rows);
            }

            if (!headerSeen)
            {
                index.HeaderLength = 0;
                index.Checkpoint(index.HeaderStart, 0);
            }
            else if (index._offsets[^1] != scanner.Position)
            {
                index.Checkpoint(scanner.Position, rows);
            }

            return index;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Between checkpoints the records are only counted, in bulk (<see cref="CsvRecordScanner.CountRecords"/>); from just
    /// before the next checkpoint's distance on, they are read one by one until one ends there.
    /// </summary>
    private void Scan(CsvRecordScanner scanner, ReadOnlySpan<byte> chunk, ref bool headerSeen, ref long rows)
    {
        while (!chunk.IsEmpty)
        {
            var exactFrom = headerSeen ? _offsets[^1] + Granularity - 1 : scanner.Position;
            var bulk = Math.Min(chunk.Length, Math.Max(0, exactFrom - scanner.Position));
            if (bulk > 0)
            {
                scanner.CountRecords(chunk[..(int)bulk], out var records, out var blank);
                rows += records - blank;
                chunk = chunk[(int)bulk..];
                continue;
            }

            if (scanner.TryReadRecord(ref chunk, out var record))
            {
                Add(record, ref headerSeen, ref rows);
            }
        }
    }

    private void Add(CsvRecord record, ref bool headerSeen, ref long rows)
    {
        if (!headerSeen)
        {
            headerSeen = true;
            HeaderLength = record.End - HeaderStart;
            Checkpoint(record.End, 0);
            return;
        }

        if (record.Length >= Granularity && record.Start > _offsets[^1])
        {
            Checkpoint(record.Start, rows); // a large record gets a span of its own
        }

        if (!record.IsBlank)
        {
            rows++;
        }

        if (record.End - _offsets[^1] >= Granularity)
        {
            Checkpoint(record.End, rows);
        }
    }

    private void Checkpoint(long offset, long rowsBefore)
    {
        _offsets.Add(offset);
        _rowsBefore.Add(rowsBefore);
    }
}
