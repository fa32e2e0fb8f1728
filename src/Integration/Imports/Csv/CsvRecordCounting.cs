using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Integration.Imports.Csv;

/// <summary>
/// Counting records in bulk, 64 bytes at a time, for a pass that needs only how many records (and how many blank
/// ones) a chunk ends, not where each is: quotes, line feeds and carriage returns become bit masks, the quoted
/// regions a prefix XOR of the quote mask, and the records the line feeds outside them. Same results and state as
/// reading the records one by one with <see cref="CsvRecordScanner.TryReadRecord"/>.
/// </summary>
public sealed partial class CsvRecordScanner
{
    private const int Block = 64;

    /// <summary>
    /// Consumes all of <paramref name="chunk"/>, counting the records that end in it: <paramref name="records"/> in all,
    /// <paramref name="blank"/> of them blank (<c>\n</c> or <c>\r\n</c> alone).
    /// </summary>
    public void CountRecords(ReadOnlySpan<byte> chunk, out long records, out long blank)
    {
        ThrowIfCompleted();
        (records, blank) = (0, 0);
        if (chunk.IsEmpty)
        {
            return;
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            CountOneByOne(chunk, ref records, ref blank);
            return;
        }

        // Carried between blocks: inside quotes; the byte before ended a record; the two bytes before did (for \r\n);
        // the byte before is a carriage return outside quotes.
        var inside = _inQuotes ? ulong.MaxValue : 0;
        var endedBefore = _recordStart == _position ? 1UL : 0;
        var endedTwoBefore = _recordStart == _position - 1 ? 1UL : 0;
        var crBefore = !_inQuotes && _lastByte == (byte)'\r' ? 1UL : 0;
        var lastRecordEnd = -1L;
        Span<byte> tail = stackalloc byte[Block];
        for (var offset = 0; offset < chunk.Length; offset += Block)
        {
            var length = Math.Min(Block, chunk.Length - offset);
            scoped ReadOnlySpan<byte> block = chunk.Slice(offset, length);
            if (length < Block)
            {
                tail.Clear();
                block.CopyTo(tail);
                block = tail;
            }

            var valid = length == Block ? ulong.MaxValue : (1UL << length) - 1;
            var (quotes, feeds, returns) = Masks(block);
            (quotes, feeds, returns) = (quotes & valid, feeds & valid, returns & valid);

            var quoted = PrefixXor(quotes) ^ inside;
            var ends = feeds & ~quoted;
            var crs = returns & ~quoted;
            var blanks = ends & ((ends << 1) | endedBefore)
                | ends & ((crs << 1) | crBefore) & ((ends << 2) | (endedBefore << 1) | endedTwoBefore);
            records += BitOperations.PopCount(ends);
            blank += BitOperations.PopCount(blanks);

            var opening = quotes & quoted;
            if (opening != 0)
            {
                _quoteOpenedAt = _position + offset + 63 - BitOperations.LeadingZeroCount(opening);
            }

            if (ends != 0)
            {
                lastRecordEnd = offset + 63 - BitOperations.LeadingZeroCount(ends);
            }

            // Carries into the next block (bits of the block's last valid positions).
            var top = length - 1;
            inside = (quoted >> top & 1) != 0 ? ulong.MaxValue : 0;
            endedTwoBefore = length >= 2 ? ends >> (top - 1) & 1 : endedBefore;
            endedBefore = ends >> top & 1;
            crBefore = crs >> top & 1;
        }

        if (lastRecordEnd >= 0)
        {
            _recordStart = _position + lastRecordEnd + 1;
        }

        _inQuotes = inside != 0;
        _lastByte = chunk[^1];
        _position += chunk.Length;
    }

    /// <summary>Bit i of each mask: byte i is a double quote, a line feed, a carriage return.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Quotes, ulong Feeds, ulong Returns) Masks(ReadOnlySpan<byte> block)
    {
        ref var start = ref MemoryMarshal.GetReference(block);
        var low = Vector256.LoadUnsafe(ref start);
        var high = Vector256.LoadUnsafe(ref start, 32);
        return (Mask(low, high, (byte)'"'), Mask(low, high, (byte)'\n'), Mask(low, high, (byte)'\r'));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mask(Vector256<byte> low, Vector256<byte> high, byte value)
    {
        var target = Vector256.Create(value);
        return Vector256.Equals(low, target).ExtractMostSignificantBits() | (ulong)Vector256.Equals(high, target).ExtractMostSignificantBits() << 32;
    }

    /// <summary>Bit i: an odd number of quotes at positions 0..i, i.e. byte i is inside quotes (an opening quote included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong PrefixXor(ulong x)
    {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }

    private void CountOneByOne(ReadOnlySpan<byte> chunk, ref long records, ref long blank)
    {
        while (TryReadRecord(ref chunk, out var record))
        {
            records++;
            blank += record.IsBlank ? 1 : 0;
        }
    }
}
