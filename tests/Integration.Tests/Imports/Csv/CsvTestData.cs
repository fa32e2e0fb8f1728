using System.Text;
using Integration.Imports;

namespace Integration.Tests.Imports.Csv;

/// <summary>A read-only, non-seekable stream answering each read with at most the next of a sequence of sizes.</summary>
internal sealed class ChunkedStream(byte[] data, IReadOnlyList<int> sizes) : ReadOnlyStream
{
    private int _position;
    private int _reads;

    /// <summary>One byte per read: every multi-byte character and every CRLF straddles a read boundary.</summary>
    public static ChunkedStream OneByte(byte[] data) => new(data, [1]);

    /// <summary>Odd, irregular read sizes.</summary>
    public static ChunkedStream OddChunks(byte[] data) => new(data, [1, 3, 7, 13, 5, 31, 2, 17, 4099, 11, 65_537]);

    public static Stream Create(string kind, byte[] data) => kind switch
    {
        "memory" => new MemoryStream(data, writable: false),
        "one byte per read" => OneByte(data),
        "odd chunks" => OddChunks(data),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public override int Read(Span<byte> buffer)
    {
        var size = sizes[_reads++ % sizes.Count];
        var count = Math.Min(Math.Min(buffer.Length, size), data.Length - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));
}

/// <summary>A deliberately naive, byte-at-a-time CSV reader the tests compare the library against.</summary>
internal static class ReferenceCsv
{
    /// <summary>A record: its byte range (terminator included) and its text without terminator.</summary>
    public sealed record Record(int Start, int End, string Text)
    {
        public bool IsBlank => Text.Length == 0;
    }

    public static List<Record> Records(ReadOnlySpan<byte> bytes)
    {
        var records = new List<Record>();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '"')
            {
                quoted = !quoted;
            }
            else if (bytes[i] == '\n' && !quoted)
            {
                var contentEnd = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                records.Add(new Record(start, i + 1, Encoding.UTF8.GetString(bytes[start..contentEnd])));
                start = i + 1;
            }
        }

        if (start < bytes.Length)
        {
            var contentEnd = bytes[^1] == '\r' ? bytes.Length - 1 : bytes.Length;
            records.Add(new Record(start, bytes.Length, Encoding.UTF8.GetString(bytes[start..contentEnd])));
        }

        return records;
    }

    public static List<string> Fields(string record)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            switch (record[i])
            {
                case '"' when quoted && i + 1 < record.Length && record[i + 1] == '"':
                    field.Append('"');
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case ',' when !quoted:
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                default:
                    field.Append(record[i]);
                    break;
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}

/// <summary>Random but reproducible CSV files with the awkward parts of real exports.</summary>
internal static class RandomCsv
{
    private static readonly string[] Words = ["alpha", "Beta", "São Paulo", "Zürich", "東京", "naïve café", "😀 ok", "x", "12.50", "2024-01-31"];

    /// <param name="Rows">The fields of each data row, in order (blank lines are not rows).</param>
    public sealed record Generated(byte[] Bytes, string Header, int Columns, List<List<string>> Rows, bool HasBom);

    public static Generated Create(int seed)
    {
        var random = new Random(seed);
        var columns = random.Next(1, 7);
        var header = string.Join(',', Enumerable.Range(1, columns).Select(c => c % 3 == 0 ? $"\"col, {c}\"" : $"col_{c}"));
        var text = new StringBuilder();
        var newline = random.Next(2) == 0 ? "\n" : "\r\n";
        text.Append(header).Append(newline);
        var rows = new List<List<string>>();
        var count = random.Next(0, 300);
        for (var r = 0; r < count; r++)
        {
            while (random.Next(12) == 0)
            {
                text.Append(random.Next(2) == 0 ? "\n" : "\r\n");
            }

            var fields = Enumerable.Range(0, columns).Select(_ => Field(random)).ToList();
            if (columns == 1 && fields[0].Length == 0)
            {
                fields[0] = "solo";
            }

            rows.Add(fields);
            text.Append(string.Join(',', fields.Select(Encode)));
            if (r < count - 1 || random.Next(3) > 0)
            {
                text.Append(random.Next(4) == 0 ? "\r\n" : "\n");
            }
        }

        var hasBom = random.Next(3) == 0;
        byte[] body = Encoding.UTF8.GetBytes(text.ToString());
        return new Generated(hasBom ? [0xEF, 0xBB, 0xBF, .. body] : body, header, columns, rows, hasBom);
    }

    private static string Field(Random random) => random.Next(10) switch
    {
        0 => "",
        1 => "with, comma",
        2 => "says \"hi\"",
        3 => "line one\nline two",
        4 => "crlf\r\ninside",
        5 => new string('w', random.Next(50, 400)),
        _ => Words[random.Next(Words.Length)],
    };

    private static string Encode(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
