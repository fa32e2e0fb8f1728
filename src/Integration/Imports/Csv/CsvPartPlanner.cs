using System.Buffers;
using System.Globalization;

namespace Integration.Imports.Csv;

/// <summary>
/// Plans the split of a CSV into parts under a size limit, on record boundaries (a quoted newline never splits),
/// in one streaming pass. Parts are byte ranges of the source, so each can be re-read with a ranged read.
/// </summary>
/// <remarks>
/// Parts are filled greedily: a part ends only when the next record would take header + part over the limit.
/// A record that does not fit even alone forms its own part, flagged <see cref="CsvPart.Oversized"/>
/// (every record does when the header alone reaches the limit). Rows are numbered as by <see cref="CsvInspector"/>
/// (non-blank records after the header, from 1). Meant for files <see cref="CsvInspector"/> accepted: a file ending
/// inside a quoted field throws <see cref="InvalidDataException"/>.
/// </remarks>
public static class CsvPartPlanner
{
    public static async Task<CsvPartPlan> PlanAsync(Stream source, long maxPartBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPartBytes);

        var buffer = ArrayPool<byte>.Shared.Rent(CsvBytes.BufferSize);
        try
        {
            var memory = buffer.AsMemory(0, CsvBytes.BufferSize);
            var read = await source.ReadAtLeastAsync(memory, CsvBytes.Bom.Length, throwOnEndOfStream: false, cancellationToken);
            var hasBom = buffer.AsSpan(0, read).StartsWith(CsvBytes.Bom);
            var planner = new Planner(maxPartBytes, hasBom ? CsvBytes.Bom.Length : 0);
            var skip = planner.HeaderStart;
            while (read > 0)
            {
                planner.Feed(buffer.AsSpan((int)skip, read - (int)skip));
                skip = 0;
                read = await source.ReadAsync(memory, cancellationToken);
            }

            return planner.Complete();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class Planner
    {
        private readonly long _maxPartBytes;
        private readonly long _headerStart;
        private readonly CsvRecordScanner _scanner;
        private readonly List<CsvPart> _parts = [];
        private long _headerLength = -1;
        private long _partStart;
        private long _partLength;
        private long _partRows;
        private long _partFirstRow = 1;
        private long _nextRow = 1;

        public Planner(long maxPartBytes, long headerStart)
        {
            _maxPartBytes = maxPartBytes;
            _headerStart = headerStart;
            _scanner = new CsvRecordScanner(headerStart);
            _partStart = headerStart;
        }

        public long HeaderStart => _headerStart;

        public void Feed(ReadOnlySpan<byte> chunk)
        {
            while (_scanner.TryReadRecord(ref chunk, out var record))
            {
                Add(record);
            }
        }

        public CsvPartPlan Complete()
        {
            if (_scanner.Complete(out var last))
            {
                if (_scanner.EndedInsideQuotes)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"The CSV ends inside a quoted field (the double quote at offset {_scanner.QuoteOpenedAt} is never closed); it cannot be split on record boundaries."));
                }

                Add(last);
            }

            if (_partLength > 0)
            {
                Close();
            }

            return new CsvPartPlan(_headerStart, Math.Max(0, _headerLength), _parts);
        }

        private void Add(CsvRecord record)
        {
            if (_headerLength < 0)
            {
                _headerLength = record.End - _headerStart;
                _partStart = record.End;
                return;
            }

            if (_partLength > 0 && _headerLength + _partLength + record.Length > _maxPartBytes)
            {
                Close();
            }

            if (_partLength == 0 && _headerLength + record.Length > _maxPartBytes)
            {
                var rows = record.IsBlank ? 0 : 1;
                _parts.Add(new CsvPart(_parts.Count, record.Start, record.Length, _nextRow, rows, Oversized: true));
                _nextRow += rows;
                _partStart = record.End;
                _partFirstRow = _nextRow;
                return;
            }

            _partLength += record.Length;
            if (!record.IsBlank)
            {
                _partRows++;
                _nextRow++;
            }
        }

        private void Close()
        {
            _parts.Add(new CsvPart(_parts.Count, _partStart, _partLength, _partFirstRow, _partRows));
            _partStart += _partLength;
            _partLength = 0;
            _partRows = 0;
            _partFirstRow = _nextRow;
        }
    }
}
