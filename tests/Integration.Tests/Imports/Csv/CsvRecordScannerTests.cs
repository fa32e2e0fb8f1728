using Integration.Imports.Csv;

namespace Integration.Tests.Imports.Csv;

public sealed class CsvRecordScannerTests
{
    private static (List<CsvRecord> Records, bool EndedInsideQuotes) Scan(byte[] bytes, int chunkSize)
    {
        var scanner = new CsvRecordScanner();
        var records = new List<CsvRecord>();
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            ReadOnlySpan<byte> chunk = bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset));
            while (scanner.TryReadRecord(ref chunk, out var record))
            {
                records.Add(record);
            }

            Assert.True(chunk.IsEmpty);
        }

        if (scanner.Complete(out var last))
        {
            records.Add(last);
        }

        return (records, scanner.EndedInsideQuotes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Records_end_at_line_feeds_outside_quotes_whatever_the_chunk_size(int chunkSize)
    {
        var bytes = "a,b\r\n\"x\ny\",\"\"\"\"\n\r\n\n\"q\"\"\r\n\"\r\nlast"u8.ToArray();

        var (records, endedInsideQuotes) = Scan(bytes, chunkSize);

        Assert.Equal(
            [
                new CsvRecord(0, 5, 2),     // a,b\r\n
                new CsvRecord(5, 16, 1),    // "x\ny","""" \n
                new CsvRecord(16, 18, 2),   // blank \r\n
                new CsvRecord(18, 19, 1),   // blank \n
                new CsvRecord(19, 28, 2),   // "q""\r\n"\r\n
                new CsvRecord(28, 32, 0),   // last, closed by Complete
            ],
            records);
        Assert.Equal([false, false, true, true, false, false], records.Select(r => r.IsBlank));
        Assert.False(endedInsideQuotes);
    }

    [Fact]
    public void Input_ending_inside_quotes_is_flagged()
    {
        var (records, endedInsideQuotes) = Scan("a\n\"open\nstill open"u8.ToArray(), 4);

        Assert.True(endedInsideQuotes);
        Assert.Equal(new CsvRecord(2, 18, 0), records[^1]);
    }

    [Fact]
    public void Positions_are_absolute_from_the_start_offset()
    {
        var scanner = new CsvRecordScanner(startOffset: 3);
        ReadOnlySpan<byte> chunk = "h\n1\n"u8;

        Assert.True(scanner.TryReadRecord(ref chunk, out var header));
        Assert.True(scanner.TryReadRecord(ref chunk, out var row));
        Assert.False(scanner.TryReadRecord(ref chunk, out _));
        Assert.False(scanner.Complete(out _));

        Assert.Equal((new CsvRecord(3, 5, 1), new CsvRecord(5, 7, 1)), (header, row));
    }
}
