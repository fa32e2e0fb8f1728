using System.Text;
using Integration.Imports.Csv;

namespace Integration.Tests.Imports.Csv;

public sealed class CsvRecordReaderTests
{
    private static async Task<List<(long Row, string RawRecord)>> ReadAsync(byte[] bytes, string stream = "memory")
    {
        var records = new List<(long, string)>();
        await foreach (var record in CsvRecordReader.ReadRecordsAsync(ChunkedStream.Create(stream, bytes), CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    public static TheoryData<string> Streams => new() { "memory", "one byte per read", "odd chunks" };

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Rows_are_numbered_from_one_after_the_header_with_quoted_newlines_kept_in_their_row(string stream)
    {
        var text = "id,note\r\n1,\"two\nlines\"\r\n\r\n2,\"say \"\"hi\"\"\"\n\n3,\"a\r\nb, c\"\n4,Zürich 😀";

        var records = await ReadAsync(Encoding.UTF8.GetBytes(text), stream);

        Assert.Equal(
            [(1, "1,\"two\nlines\""), (2, "2,\"say \"\"hi\"\"\""), (3, "3,\"a\r\nb, c\""), (4, "4,Zürich 😀")],
            records);
    }

    [Fact]
    public async Task A_bom_and_the_header_are_skipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "id\n1\n2\n"u8];

        Assert.Equal([(1, "1"), (2, "2")], await ReadAsync(bytes));
    }

    [Fact]
    public async Task Row_numbers_match_the_planned_parts()
    {
        var text = "id,note\n" + string.Concat(Enumerable.Range(1, 500).Select(i => i % 7 == 0 ? $"{i},\"multi\nline\"\n\n" : $"{i},plain\n"));
        var bytes = Encoding.UTF8.GetBytes(text);
        var plan = await CsvPartPlanner.PlanAsync(new MemoryStream(bytes), 200, CancellationToken.None);

        var records = await ReadAsync(bytes);

        // Row n of the source is row (n - FirstRow + 1) of the part holding it: the part's own numbering maps back.
        foreach (var part in plan.Parts)
        {
            var inPart = ReferenceCsv.Records(bytes.AsSpan((int)part.Start, (int)part.Length)).Where(r => !r.IsBlank).Select(r => r.Text).ToList();
            Assert.Equal(inPart, records.Where(r => r.Row >= part.FirstRow && r.Row < part.FirstRow + part.RowCount).Select(r => r.RawRecord));
        }

        Assert.Equal(500, records.Count);
        Assert.All(records, r => Assert.StartsWith($"{r.Row},", r.RawRecord, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_record_longer_than_the_read_buffer_is_read_whole()
    {
        var long1 = new string('a', 300_000);
        var bytes = Encoding.UTF8.GetBytes($"id,note\n1,\"{long1}\n{long1}\"\n2,b\n");

        var records = await ReadAsync(bytes);

        Assert.Equal([(1, $"1,\"{long1}\n{long1}\""), (2, "2,b")], records);
    }

    [Fact]
    public async Task A_file_ending_inside_quotes_fails_after_the_complete_rows()
    {
        var seen = new List<long>();

        var thrown = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var (row, _) in CsvRecordReader.ReadRecordsAsync(new MemoryStream("id\n1\n\"open\n2\n"u8.ToArray()), CancellationToken.None))
            {
                seen.Add(row);
            }
        });

        Assert.Equal([1L], seen);
        Assert.Contains("quoted field", thrown.Message, StringComparison.Ordinal);
    }
}
