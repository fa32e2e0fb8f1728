using System.Text;
using Integration.Imports.Csv;

namespace Integration.Tests.Imports.Csv;

/// <summary>Counting records in bulk gives what reading them one by one gives, whatever the bytes and the chunking.</summary>
public sealed class CsvRecordCountingTests
{
    [Theory]
    [InlineData("a,b\nc,d\n", 2, 0)]
    [InlineData("a\n\n\r\nb\r\n\n", 5, 3)]
    [InlineData("\"x\ny\"\n\"\"\"q\"\"\"\r\n", 2, 0)]
    [InlineData("\"\r\n\"\r\n\r\n", 2, 1)]
    [InlineData("\r\r\n\n", 2, 1)]
    public void Counts_records_and_blank_lines_like_reading_them_one_by_one(string csv, long records, long blank)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);

        var (counted, countedBlank, scanner) = Count(bytes, chunk: bytes.Length);

        Assert.Equal((records, blank), (counted, countedBlank));
        var (read, readBlank, reader) = Read(bytes, chunk: bytes.Length);
        Assert.Equal((read, readBlank), (counted, countedBlank));
        AssertSameState(reader, scanner);
    }

    [Fact]
    public void Random_bytes_in_random_chunks_count_as_read_record_by_record()
    {
        var random = new Random(20261127);
        byte[] alphabet = "ab,\"\"\n\n\r "u8.ToArray();
        for (var trial = 0; trial < 3000; trial++)
        {
            var bytes = new byte[random.Next(0, 400)];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = alphabet[random.Next(alphabet.Length)];
            }

            var chunk = random.Next(1, 150);
            var start = random.Next(0, 3);
            var (read, readBlank, reader) = Read(bytes, chunk, start);
            var (counted, countedBlank, scanner) = Count(bytes, chunk, start);

            Assert.True((read, readBlank) == (counted, countedBlank), $"trial {trial}: read {read}/{readBlank}, counted {counted}/{countedBlank} in {Convert.ToHexString(bytes)} by {chunk}");
            AssertSameState(reader, scanner);
            Assert.Equal(reader.Complete(out var last), scanner.Complete(out var lastCounted));
            Assert.Equal(last, lastCounted);
            Assert.Equal(reader.EndedInsideQuotes, scanner.EndedInsideQuotes);
        }
    }

    private static (long Records, long Blank, CsvRecordScanner Scanner) Read(byte[] bytes, int chunk, long start = 0)
    {
        var scanner = new CsvRecordScanner(start);
        long records = 0, blank = 0;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            ReadOnlySpan<byte> span = bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset));
            while (scanner.TryReadRecord(ref span, out var record))
            {
                records++;
                blank += record.IsBlank ? 1 : 0;
            }
        }

        return (records, blank, scanner);
    }

    private static (long Records, long Blank, CsvRecordScanner Scanner) Count(byte[] bytes, int chunk, long start = 0)
    {
        var scanner = new CsvRecordScanner(start);
        long records = 0, blank = 0;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            scanner.CountRecords(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)), out var r, out var b);
            (records, blank) = (records + r, blank + b);
        }

        return (records, blank, scanner);
    }

    private static void AssertSameState(CsvRecordScanner expected, CsvRecordScanner actual)
    {
        Assert.Equal(expected.Position, actual.Position);
        Assert.Equal(expected.RecordStart, actual.RecordStart);
        Assert.Equal(expected.InQuotes, actual.InQuotes);
        Assert.Equal(expected.QuoteOpenedAt, actual.QuoteOpenedAt);
    }
}
