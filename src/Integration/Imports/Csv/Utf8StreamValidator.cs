using System.Text;
using System.Text.Unicode;

namespace Integration.Imports.Csv;

/// <summary>
/// Validates UTF-8 chunk by chunk: each chunk is checked with the vectorised <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>,
/// except an incomplete multi-byte sequence at its end, which is carried over and completed with the next chunk's bytes.
/// </summary>
internal sealed class Utf8StreamValidator
{
    private readonly byte[] _pending = new byte[4];
    private int _pendingCount;
    private int _pendingNeeded;
    private long _pendingOffset;

    /// <summary>Where validation failed: the first byte of the offending sequence.</summary>
    /// <param name="Truncated">The input ended in the middle of a multi-byte sequence.</param>
    public readonly record struct Failure(long Offset, byte Value, bool Truncated);

    /// <summary>Validates the next chunk, whose first byte is at absolute <paramref name="chunkOffset"/>.</summary>
    public Failure? Validate(ReadOnlySpan<byte> chunk, long chunkOffset)
    {
        var index = 0;
        if (_pendingCount > 0)
        {
            while (_pendingCount < _pendingNeeded && index < chunk.Length)
            {
                var next = chunk[index];
                if ((next & 0xC0) != 0x80)
                {
                    return PendingFailure();
                }

                _pending[_pendingCount++] = next;
                index++;
            }

            if (_pendingCount < _pendingNeeded)
            {
                return null;
            }

            if (!Utf8.IsValid(_pending.AsSpan(0, _pendingCount)))
            {
                return PendingFailure();
            }

            _pendingCount = 0;
        }

        var rest = chunk[index..];
        var tail = IncompleteTail(rest, out var needed);
        var body = rest[..^tail];
        if (!Utf8.IsValid(body))
        {
            var at = FirstInvalid(body);
            return new Failure(chunkOffset + index + at, body[at], Truncated: false);
        }

        if (tail > 0)
        {
            rest[^tail..].CopyTo(_pending);
            _pendingCount = tail;
            _pendingNeeded = needed;
            _pendingOffset = chunkOffset + index + body.Length;
        }

        return null;
    }

    /// <summary>Ends the input: fails when it stopped in the middle of a multi-byte sequence.</summary>
    public Failure? Complete() => _pendingCount > 0 ? new Failure(_pendingOffset, _pending[0], Truncated: true) : null;

    private Failure PendingFailure()
    {
        var failure = new Failure(_pendingOffset, _pending[0], Truncated: false);
        _pendingCount = 0;
        return failure;
    }

    /// <summary>Bytes at the end of <paramref name="span"/> that start a multi-byte sequence it does not complete.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> span, out int sequenceLength)
    {
        sequenceLength = 0;
        for (var back = 1; back <= Math.Min(3, span.Length); back++)
        {
            var b = span[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var length = b switch
            {
                >= 0xC2 and <= 0xDF => 2,
                >= 0xE0 and <= 0xEF => 3,
                >= 0xF0 and <= 0xF4 => 4,
                _ => 0,
            };
            if (length > back)
            {
                sequenceLength = length;
                return back;
            }

            return 0;
        }

        return 0;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> span)
    {
        var position = 0;
        while (position < span.Length)
        {
            if (Rune.DecodeFromUtf8(span[position..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return position;
            }

            position += consumed;
        }

        return 0;
    }
}
