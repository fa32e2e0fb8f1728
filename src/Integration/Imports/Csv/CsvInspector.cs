using System.Buffers;
using System.Globalization;
using System.Text;

namespace Integration.Imports.Csv;

/// <summary>
/// Checks a CSV file in one streaming pass before it is forwarded: size, encoding, header and quoting.
/// Only the header row is held in memory; reading stops at the first problem.
/// </summary>
/// <remarks>
/// Problems are reported in the order they occur in the file, each with its byte offset (0-based, BOM included)
/// and the row that holds it. A seekable stream longer than <see cref="CsvLimits.MaxBytes"/> is rejected without reading.
/// Rows are counted like <see cref="CsvPartPlanner"/> and <see cref="CsvRecordReader"/> count them: non-blank records
/// after the header, a quoted newline staying inside its row.
/// </remarks>
public static class CsvInspector
{
    /// <summary>The first bytes are gathered to this many, so file signatures are recognised whatever the read sizes.</summary>
    private const int SignatureBytes = 16;

    private static readonly (byte[] Signature, string Kind)[] BinarySignatures =
    [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ("GIF8"u8.ToArray(), "a GIF image"),
        ("%PDF-"u8.ToArray(), "a PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (an Excel .xlsx workbook is one)"),
        ([0x1F, 0x8B], "a gzip-compressed file"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "a legacy Microsoft Office file (e.g. an Excel .xls workbook)"),
    ];

    public static async Task<CsvInspection> InspectAsync(Stream source, CsvLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.CanSeek && CheckSize(source.Length - source.Position, limits) is { } tooLarge)
        {
            return tooLarge;
        }

        return (await InspectCoreAsync(source, limits, stopAfter: long.MaxValue, cancellationToken))!;
    }

    /// <summary>
    /// Checks only the start of a file, at least <paramref name="bytes"/> of it (signatures, encoding of what was read,
    /// the header row if it ends there): the problem found, or null when that start is fine. A row cut at the end is
    /// not a problem here; the full pass (<see cref="InspectAsync"/>) judges the rest.
    /// </summary>
    public static async Task<CsvInspection.Invalid?> InspectStartAsync(Stream source, CsvLimits limits, long bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return await InspectCoreAsync(source, limits, bytes, cancellationToken) as CsvInspection.Invalid;
    }

    /// <summary>The size cap alone, for a file whose length is known without reading it.</summary>
    public static CsvInspection.Invalid? CheckSize(long length, CsvLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return length > limits.MaxBytes
            ? Problem(CsvProblem.TooLarge, $"The file is {CsvBytes.Size(length)}, more than the limit of {CsvBytes.Size(limits.MaxBytes)}. Split it into smaller files.")
            : null;
    }

    /// <summary>One pass; with a finite <paramref name="stopAfter"/> it stops there and answers null when nothing was wrong so far.</summary>
    private static async Task<CsvInspection?> InspectCoreAsync(Stream source, CsvLimits limits, long stopAfter, CancellationToken cancellationToken)
    {
        var inspection = new CsvIncrementalInspection(limits);
        var buffer = ArrayPool<byte>.Shared.Rent(CsvBytes.BufferSize);
        try
        {
            var memory = buffer.AsMemory(0, CsvBytes.BufferSize);
            var total = 0L;
            int read;
            while ((read = await source.ReadAsync(memory, cancellationToken)) > 0)
            {
                if (inspection.Feed(buffer.AsSpan(0, read)) is { } problem)
                {
                    return problem;
                }

                total += read;
                if (total >= stopAfter)
                {
                    return null;
                }
            }

            return inspection.Complete();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The same checks fed chunk by chunk, for bytes that pass by anyway (an upload): no read of its own, no copy.
    /// <see cref="Feed"/> answers the first problem (and keeps answering it); <see cref="Complete"/> the verdict.
    /// </summary>
    public sealed class CsvIncrementalInspection
    {
        private readonly CsvLimits _limits;
        private readonly byte[] _start = new byte[SignatureBytes];
        private int _startCount;
        private Inspection? _inspection;
        private CsvInspection.Invalid? _problem;

        public CsvIncrementalInspection(CsvLimits limits)
        {
            ArgumentNullException.ThrowIfNull(limits);
            ArgumentOutOfRangeException.ThrowIfNegative(limits.MaxBytes);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxHeaderBytes);
            _limits = limits;
        }

        public CsvInspection.Invalid? Feed(ReadOnlySpan<byte> chunk)
        {
            if (_problem is not null)
            {
                return _problem;
            }

            if (_inspection is null)
            {
                // File signatures need the first bytes together, whatever the chunk sizes.
                var take = Math.Min(chunk.Length, SignatureBytes - _startCount);
                chunk[..take].CopyTo(_start.AsSpan(_startCount));
                _startCount += take;
                chunk = chunk[take..];
                if (_startCount < SignatureBytes || Begin() is not null)
                {
                    return _problem;
                }
            }

            return _problem = _inspection!.Feed(chunk);
        }

        public CsvInspection Complete()
        {
            if (_problem is not null)
            {
                return _problem;
            }

            if (_inspection is null)
            {
                if (_startCount == 0)
                {
                    return _problem = Problem(CsvProblem.Empty, "The file is empty (0 bytes).");
                }

                if (Begin() is { } problem)
                {
                    return problem;
                }
            }

            return _inspection!.Complete();
        }

        private CsvInspection.Invalid? Begin()
        {
            var start = _start.AsSpan(0, _startCount);
            if (KnownNonCsv(start) is { } known)
            {
                return _problem = known;
            }

            _inspection = new Inspection(_limits, start.StartsWith(CsvBytes.Bom));
            return _problem = _inspection.Feed(start);
        }
    }

    private static CsvInspection.Invalid Problem(CsvProblem code, string message) => new(code, message);

    private static CsvInspection.Invalid? KnownNonCsv(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Problem(CsvProblem.NotUtf8, "The file is not UTF-8: it starts with a UTF-16 byte order mark (0x" + Convert.ToHexString(start[..2]) + "), so it was saved as UTF-16 (\"Unicode\"). Export it as UTF-8.");
        }

        foreach (var (signature, kind) in BinarySignatures)
        {
            if (start.StartsWith(signature))
            {
                return Problem(CsvProblem.Binary, $"The file is not CSV text: it looks like {kind}. Export the data as a UTF-8 CSV file.");
            }
        }

        return null;
    }

    private static string Plural(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>The state of one pass.</summary>
    private sealed class Inspection(CsvLimits limits, bool hasBom)
    {
        private readonly Utf8StreamValidator _utf8 = new();
        private readonly CsvRecordScanner _scanner = new(hasBom ? CsvBytes.Bom.Length : 0);
        private readonly ArrayBufferWriter<byte> _header = new();
        private long _bytes;
        private bool _headerDone;
        private string _headerText = "";
        private int _columns;
        private long _headerEnd;
        private long _dataRows;
        private long _blankLines;

        /// <summary>Checks the next chunk; a problem ends the pass.</summary>
        public CsvInspection.Invalid? Feed(ReadOnlySpan<byte> chunk)
        {
            var offset = _bytes;
            var allowed = (int)Math.Min(chunk.Length, limits.MaxBytes - offset);
            var checkedBytes = chunk[..allowed];

            // Find the first byte that is not UTF-8 text, then scan records only up to it: a problem earlier in the
            // file (in the header) wins, and the message can name the row holding the bad byte.
            var nul = checkedBytes.IndexOf((byte)0);
            var utf8 = _utf8.Validate(nul >= 0 ? checkedBytes[..(nul + 1)] : checkedBytes, offset);
            var textEnd = utf8 is { } failure ? (int)Math.Max(0, failure.Offset - offset) : nul >= 0 ? nul : allowed;

            var text = checkedBytes[..textEnd];
            if (offset == 0 && hasBom)
            {
                text = text[Math.Min(CsvBytes.Bom.Length, text.Length)..];
            }

            if (Scan(text) is { } recordProblem)
            {
                return recordProblem;
            }

            if (utf8 is { } invalid)
            {
                return NotUtf8(invalid);
            }

            if (nul >= 0)
            {
                return Problem(CsvProblem.Binary, string.Create(CultureInfo.InvariantCulture,
                    $"The file is not CSV text: it contains a NUL byte (0x00) at offset {offset + nul}{Where()}. Export the data as a UTF-8 CSV file."));
            }

            _bytes += allowed;
            if (allowed < chunk.Length)
            {
                return Problem(CsvProblem.TooLarge, $"The file is larger than the limit of {CsvBytes.Size(limits.MaxBytes)} (reading stopped there). Split it into smaller files.");
            }

            return null;
        }

        public CsvInspection Complete()
        {
            if (_utf8.Complete() is { } truncated)
            {
                return NotUtf8(truncated);
            }

            if (_scanner.Complete(out var last))
            {
                if (_scanner.EndedInsideQuotes)
                {
                    return Problem(CsvProblem.UnterminatedQuote, string.Create(CultureInfo.InvariantCulture,
                        $"The file ends inside a quoted field: the double quote at offset {_scanner.QuoteOpenedAt}{Where()}, is never closed, so everything after it would be read as one field. Close the quote, and double any quote inside a quoted field (\"\")."));
                }

                if (OnRecord(last) is { } problem)
                {
                    return problem;
                }
            }

            if (!_headerDone)
            {
                return Problem(CsvProblem.Empty, "The file is empty: it holds only a UTF-8 byte order mark.");
            }

            if (_dataRows == 0)
            {
                return Problem(CsvProblem.HeaderOnly, _blankLines > 0
                    ? $"The file has a header row ({Plural(_columns, "column")}) but no data rows: only blank lines follow it."
                    : $"The file has a header row ({Plural(_columns, "column")}) but no data rows.");
            }

            return new CsvInspection.Valid(_headerText, _columns, _dataRows, _bytes, hasBom, _headerEnd);
        }

        /// <summary>Where the record being read is, for messages.</summary>
        private string Where() => _headerDone
            ? string.Create(CultureInfo.InvariantCulture, $", in data row {_dataRows + 1}")
            : ", in the header row";

        private CsvInspection.Invalid NotUtf8(Utf8StreamValidator.Failure failure) => Problem(CsvProblem.NotUtf8, failure.Truncated
            ? string.Create(CultureInfo.InvariantCulture, $"The file is not UTF-8: it ends in the middle of a multi-byte character (byte 0x{failure.Value:X2} at offset {failure.Offset}{Where()}). Export the file as UTF-8.")
            : string.Create(CultureInfo.InvariantCulture, $"The file is not UTF-8: invalid byte 0x{failure.Value:X2} at offset {failure.Offset}{Where()}. Export the file as UTF-8 (Latin-1 / Windows-1252 exports are a common cause)."));

        private CsvInspection.Invalid? Scan(ReadOnlySpan<byte> text)
        {
            while (true)
            {
                if (_headerDone)
                {
                    // Past the header only counts matter: records in bulk, 64 bytes at a time.
                    _scanner.CountRecords(text, out var records, out var blank);
                    (_dataRows, _blankLines) = (_dataRows + records - blank, _blankLines + blank);
                    return null;
                }

                var before = text;
                var ended = _scanner.TryReadRecord(ref text, out var record);
                if (!_headerDone)
                {
                    var consumed = before[..(before.Length - text.Length)];
                    if (_header.WrittenCount + consumed.Length > limits.MaxHeaderBytes)
                    {
                        return HeaderTooLong();
                    }

                    _header.Write(consumed);
                }

                if (!ended)
                {
                    return null;
                }

                if (OnRecord(record) is { } problem)
                {
                    return problem;
                }
            }
        }

        private CsvInspection.Invalid? OnRecord(CsvRecord record)
        {
            if (!_headerDone)
            {
                _headerDone = true;
                _headerEnd = record.End;
                return ReadHeader(_header.WrittenSpan[..(int)record.ContentLength]);
            }

            if (record.IsBlank)
            {
                _blankLines++;
            }
            else
            {
                _dataRows++;
            }

            return null;
        }

        private CsvInspection.Invalid HeaderTooLong() => _scanner.InQuotes
            ? Problem(CsvProblem.UnterminatedQuote, string.Create(CultureInfo.InvariantCulture,
                $"The header row is longer than {CsvBytes.Size(limits.MaxHeaderBytes)}: the double quote at offset {_scanner.QuoteOpenedAt} seems never to be closed. Check the header for a missing closing quote."))
            : Problem(CsvProblem.NoHeader,
                $"The first line is longer than {CsvBytes.Size(limits.MaxHeaderBytes)}, so it cannot be a header row. Check that the file is a CSV with LF or CRLF line breaks.");

        private CsvInspection.Invalid? ReadHeader(ReadOnlySpan<byte> bytes)
        {
            var text = Encoding.UTF8.GetString(bytes);
            if (string.IsNullOrWhiteSpace(text))
            {
                return Problem(CsvProblem.NoHeader, "The first line of the file is blank. The file must start with a header row naming the columns (e.g. id,name,email).");
            }

            var columns = CsvFields.Split(text, out var bareCarriageReturn);
            if (bareCarriageReturn)
            {
                return Problem(CsvProblem.NoHeader, "The header row contains a carriage return (CR) without a line feed: the file seems to use CR alone as line breaks. Export it with LF or CRLF line breaks.");
            }

            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < columns.Count; i++)
            {
                var name = columns[i].Trim();
                if (name.Length == 0)
                {
                    return Problem(CsvProblem.EmptyHeaderColumn, string.Create(CultureInfo.InvariantCulture,
                        $"Column {i + 1} of {columns.Count} in the header has no name (header: {CsvBytes.Quote(text)}). Every column needs a name; look for a doubled or trailing comma."));
                }

                if (seen.TryGetValue(name, out var first))
                {
                    return Problem(CsvProblem.DuplicateHeaderColumn, string.Create(CultureInfo.InvariantCulture,
                        $"The header names the column {CsvBytes.Quote(name)} twice: columns {first + 1} and {i + 1} (names are compared ignoring case and surrounding spaces). Column names must be unique."));
                }

                seen.Add(name, i);
            }

            _headerText = text;
            _columns = columns.Count;
            return null;
        }
    }
}
