using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Integration.Imports.Csv;

/// <summary>Streams a CSV's data records as raw text, with their data-row numbers.</summary>
public static class CsvRecordReader
{
    /// <summary>
    /// Yields each non-blank record after the header, as its raw text without line terminator (quotes and embedded
    /// newlines kept as in the file), numbered like <see cref="CsvInspector"/> and <see cref="CsvPartPlanner"/>
    /// count rows: from 1, blank lines skipped. A leading UTF-8 BOM and the header row are skipped.
    /// Only one record is held in memory at a time. A file ending inside a quoted field throws
    /// <see cref="InvalidDataException"/> (after the records before it were yielded).
    /// </summary>
    public static async IAsyncEnumerable<(long Row, string RawRecord)> ReadRecordsAsync(
        Stream source,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);

        var buffer = ArrayPool<byte>.Shared.Rent(CsvBytes.BufferSize);
        try
        {
            var memory = buffer.AsMemory(0, CsvBytes.BufferSize);
            var read = await source.ReadAtLeastAsync(memory, CsvBytes.Bom.Length, throwOnEndOfStream: false, cancellationToken);
            var offset = buffer.AsSpan(0, read).StartsWith(CsvBytes.Bom) ? CsvBytes.Bom.Length : 0;
            var assembler = new Assembler(offset);
            while (read > 0)
            {
                while (assembler.TryNext(buffer, ref offset, read, out var row, out var text))
                {
                    yield return (row, text);
                }

                offset = 0;
                read = await source.ReadAsync(memory, cancellationToken);
            }

            if (assembler.Complete(out var lastRow, out var lastText))
            {
                yield return (lastRow, lastText);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Gathers the bytes of the record being read across chunks (a record within one chunk is decoded in place).</summary>
    private sealed class Assembler(long startOffset)
    {
        private readonly CsvRecordScanner _scanner = new(startOffset);
        private readonly ArrayBufferWriter<byte> _pending = new();
        private bool _headerSeen;
        private long _row;

        public bool TryNext(byte[] buffer, ref int offset, int count, out long row, out string text)
        {
            while (true)
            {
                ReadOnlySpan<byte> chunk = buffer.AsSpan(offset, count - offset);
                var ended = _scanner.TryReadRecord(ref chunk, out var record);
                var piece = buffer.AsSpan(offset, count - offset - chunk.Length);
                offset += piece.Length;
                if (!ended)
                {
                    _pending.Write(piece);
                    row = 0;
                    text = "";
                    return false;
                }

                if (Take(record, piece, out row, out text))
                {
                    return true;
                }
            }
        }

        public bool Complete(out long row, out string text)
        {
            if (!_scanner.Complete(out var record))
            {
                row = 0;
                text = "";
                return false;
            }

            if (_scanner.EndedInsideQuotes)
            {
                throw new InvalidDataException(FormattableString.Invariant(
                    $"The CSV ends inside a quoted field (the double quote at offset {_scanner.QuoteOpenedAt} is never closed)."));
            }

            return Take(record, [], out row, out text);
        }

        /// <summary>Ends a record whose last bytes are <paramref name="piece"/>; true when it is a data row.</summary>
        private bool Take(CsvRecord record, ReadOnlySpan<byte> piece, out long row, out string text)
        {
            row = 0;
            text = "";
            var isData = _headerSeen && !record.IsBlank;
            _headerSeen = true;
            if (isData)
            {
                var content = (int)record.ContentLength;
                if (_pending.WrittenCount == 0)
                {
                    text = Encoding.UTF8.GetString(piece[..content]);
                }
                else
                {
                    _pending.Write(piece);
                    text = Encoding.UTF8.GetString(_pending.WrittenSpan[..content]);
                }

                row = ++_row;
            }

            _pending.ResetWrittenCount();
            return isData;
        }
    }
}
