using System.Buffers;
using System.Text;

namespace Integration.Imports.Csv;

/// <summary>
/// Writes the source's failing data rows, each followed by <c>,"message"</c>, by copying their bytes straight from the
/// source to the output as they stream by: a record of any size passes through a fixed buffer, never held whole.
/// Rows are numbered as by <see cref="CsvInspector"/> (non-blank records after the header, from 1).
/// </summary>
public static class FailedRowsCsv
{
    public static async Task WriteAsync(Stream source, IReadOnlyDictionary<long, string> messages, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = ArrayPool<byte>.Shared.Rent(CsvBytes.BufferSize);
        try
        {
            var memory = buffer.AsMemory(0, CsvBytes.BufferSize);
            var read = await source.ReadAtLeastAsync(memory, CsvBytes.Bom.Length, throwOnEndOfStream: false, cancellationToken);
            var start = buffer.AsSpan(0, read).StartsWith(CsvBytes.Bom) ? CsvBytes.Bom.Length : 0;
            var copier = new Copier(messages, start);
            while (read > 0)
            {
                await copier.FeedAsync(buffer.AsMemory(start, read - start), output, cancellationToken);
                start = 0;
                read = await source.ReadAsync(memory, cancellationToken);
            }

            await copier.CompleteAsync(output, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class Copier(IReadOnlyDictionary<long, string> messages, long startOffset)
    {
        private readonly CsvRecordScanner _scanner = new(startOffset);
        private readonly byte[] _held = new byte[2];
        private int _heldCount;
        private bool _headerSeen;
        private long _rows;

        /// <summary>The record being read is the next data row and fails: its bytes are copied as they come.</summary>
        private bool Copying => _headerSeen && messages.ContainsKey(_rows + 1);

        public async Task FeedAsync(ReadOnlyMemory<byte> chunk, Stream output, CancellationToken cancellationToken)
        {
            while (!chunk.IsEmpty)
            {
                var span = chunk.Span;
                var ended = _scanner.TryReadRecord(ref span, out var record);
                var piece = chunk[..(chunk.Length - span.Length)];
                chunk = chunk[piece.Length..];
                if (ended)
                {
                    await EndAsync(record, piece, output, cancellationToken);
                }
                else if (Copying)
                {
                    await WriteHoldingTerminatorAsync(piece, output, cancellationToken);
                }
            }
        }

        public async Task CompleteAsync(Stream output, CancellationToken cancellationToken)
        {
            if (_scanner.Complete(out var record))
            {
                await EndAsync(record, ReadOnlyMemory<byte>.Empty, output, cancellationToken);
            }
        }

        private async Task EndAsync(CsvRecord record, ReadOnlyMemory<byte> last, Stream output, CancellationToken cancellationToken)
        {
            if (!_headerSeen || record.IsBlank)
            {
                _headerSeen = true;
                _heldCount = 0;
                return;
            }

            var row = ++_rows;
            if (messages.TryGetValue(row, out var message))
            {
                // Everything but the terminator: the held bytes and this last piece, less its final terminator bytes.
                var tail = new byte[_heldCount + last.Length];
                _held.AsSpan(0, _heldCount).CopyTo(tail);
                last.Span.CopyTo(tail.AsSpan(_heldCount));
                await output.WriteAsync(tail.AsMemory(0, tail.Length - record.TerminatorLength), cancellationToken);
                await output.WriteAsync(Encoding.UTF8.GetBytes($",\"{message.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n"), cancellationToken);
            }

            _heldCount = 0;
        }

        /// <summary>Writes a piece of a failing record, holding back up to two trailing CR/LF bytes that may be its terminator.</summary>
        private async Task WriteHoldingTerminatorAsync(ReadOnlyMemory<byte> piece, Stream output, CancellationToken cancellationToken)
        {
            var keep = TrailingTerminatorBytes(piece.Span);
            if (_heldCount > 0)
            {
                await output.WriteAsync(_held.AsMemory(0, _heldCount), cancellationToken);
            }

            await output.WriteAsync(piece[..^keep], cancellationToken);
            piece.Span[^keep..].CopyTo(_held);
            _heldCount = keep;
        }

        private static int TrailingTerminatorBytes(ReadOnlySpan<byte> span)
        {
            var keep = 0;
            while (keep < 2 && keep < span.Length && span[span.Length - 1 - keep] is (byte)'\r' or (byte)'\n')
            {
                keep++;
            }

            return keep;
        }
    }
}
