using System.Text;
using Integration.Imports.Csv;

namespace Integration.Tests.Imports.Csv;

public sealed class CsvPartPlannerTests
{
    private static readonly long[] Limits = [1, 16, 64, 150, 500, 1000, 4096, 100_000, long.MaxValue];

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 40));

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Parts_rebuild_the_file_fit_the_limit_and_keep_every_record_whole(int seed)
    {
        var csv = RandomCsv.Create(seed);
        var source = csv.Bytes;
        var sourceRecords = ReferenceCsv.Records(source.AsSpan((int)(csv.HasBom ? 3 : 0)));
        Assert.Equal(csv.Header, sourceRecords[0].Text);
        Assert.Equal(csv.Rows, sourceRecords.Skip(1).Where(r => !r.IsBlank).Select(r => ReferenceCsv.Fields(r.Text)).ToList());

        foreach (var limit in Limits.Append(Encoding.UTF8.GetByteCount(csv.Header) + 3))
        {
            var plan = await CsvPartPlanner.PlanAsync(new MemoryStream(source), limit, CancellationToken.None);
            var context = $"seed {seed}, limit {limit}";

            // The header: after the BOM, with its own line break, not repeated BOM.
            Assert.Equal(csv.HasBom ? 3 : 0, plan.HeaderStart);
            var header = source.AsSpan((int)plan.HeaderStart, (int)plan.HeaderLength).ToArray();
            Assert.Equal(csv.Header, ReferenceCsv.Records(header).Single().Text);
            Assert.EndsWith("\n", Encoding.UTF8.GetString(header), StringComparison.Ordinal);

            // Contiguous parts covering everything after the header exactly once.
            var body = new List<byte>();
            var expectedStart = plan.HeaderEnd;
            for (var i = 0; i < plan.Parts.Count; i++)
            {
                var part = plan.Parts[i];
                Assert.True(part.Index == i && part.Start == expectedStart && part.Length > 0, $"{context}: part {i} is {part}");
                expectedStart = part.End;
                body.AddRange(source.AsSpan((int)part.Start, (int)part.Length).ToArray());
            }

            Assert.Equal(source.Skip((int)plan.HeaderEnd), body);

            var expectedRecords = sourceRecords.Skip(1).Select(r => r.Text).ToList();
            var rebuiltRecords = new List<string>();
            var nextRow = 1L;
            foreach (var part in plan.Parts)
            {
                // What the uploader sends: header bytes + the part's range.
                byte[] sent = [.. header, .. source.AsSpan((int)part.Start, (int)part.Length)];
                var records = ReferenceCsv.Records(sent);
                Assert.Equal(csv.Header, records[0].Text);
                var partRecords = records.Skip(1).ToList();
                rebuiltRecords.AddRange(partRecords.Select(r => r.Text));

                if (part.Oversized)
                {
                    Assert.True(partRecords.Count == 1 && sent.Length > limit, $"{context}: oversized part {part} holds {partRecords.Count} records in {sent.Length} bytes");
                }
                else
                {
                    Assert.True(sent.Length <= limit, $"{context}: part {part} sends {sent.Length} bytes");
                }

                Assert.Equal(nextRow, part.FirstRow);
                Assert.Equal(partRecords.Count(r => !r.IsBlank), part.RowCount);
                nextRow += part.RowCount;
            }

            Assert.Equal(expectedRecords, rebuiltRecords);
            Assert.Equal(csv.Rows.Count + 1, nextRow);

            // Parts are as full as they can be: the next part's first record would not have fitted.
            for (var i = 0; i + 1 < plan.Parts.Count; i++)
            {
                var next = plan.Parts[i + 1];
                var firstOfNext = ReferenceCsv.Records(source.AsSpan((int)next.Start, (int)next.Length)).First();
                Assert.True(plan.HeaderLength + plan.Parts[i].Length + (firstOfNext.End - firstOfNext.Start) > limit, $"{context}: part {i + 1} could have joined part {i}");
            }

            // Read sizes do not change the plan.
            var chunked = await CsvPartPlanner.PlanAsync(ChunkedStream.OddChunks(source), limit, CancellationToken.None);
            Assert.Equal(plan.Parts, chunked.Parts);
            Assert.Equal((plan.HeaderStart, plan.HeaderLength), (chunked.HeaderStart, chunked.HeaderLength));
        }

        // The inspector, the planner and the reader number rows the same way.
        if (csv.Rows.Count > 0)
        {
            var inspection = Assert.IsType<CsvInspection.Valid>(await CsvInspector.InspectAsync(new MemoryStream(source), new CsvLimits { MaxBytes = source.Length }, CancellationToken.None));
            Assert.Equal(csv.Rows.Count, inspection.DataRows);
            Assert.Equal(csv.Header, inspection.Header);
            Assert.Equal(csv.Columns, inspection.HeaderColumnCount);
        }

        var read = new List<(long Row, string RawRecord)>();
        await foreach (var record in CsvRecordReader.ReadRecordsAsync(ChunkedStream.OddChunks(source), CancellationToken.None))
        {
            read.Add(record);
        }

        Assert.Equal(Enumerable.Range(1, csv.Rows.Count).Select(i => (long)i), read.Select(r => r.Row));
        Assert.Equal(csv.Rows, read.Select(r => ReferenceCsv.Fields(r.RawRecord)).ToList());
    }

    [Fact]
    public async Task A_file_that_fits_is_one_part()
    {
        var source = "id,name\n1,Ann\n2,Bob\n"u8.ToArray();

        var plan = await CsvPartPlanner.PlanAsync(new MemoryStream(source), 1000, CancellationToken.None);

        Assert.Equal(new CsvPartPlan(0, 8, plan.Parts), plan);
        Assert.Equal([new CsvPart(0, 8, 12, 1, 2)], plan.Parts);
    }

    [Fact]
    public async Task Parts_are_cut_between_records_never_inside_a_quoted_newline()
    {
        var source = "id,note\n1,\"a\nb\"\n2,\"c\nd\"\n3,e\n"u8.ToArray();

        // Header 8 bytes + at most 12: each two-line record (8 bytes) fits once, never twice.
        var plan = await CsvPartPlanner.PlanAsync(new MemoryStream(source), 20, CancellationToken.None);

        Assert.Equal(
            [new CsvPart(0, 8, 8, 1, 1), new CsvPart(1, 16, 12, 2, 2)],
            plan.Parts);
        Assert.Equal("2,\"c\nd\"\n3,e\n", Encoding.UTF8.GetString(source, 16, 12));
    }

    [Fact]
    public async Task A_record_larger_than_the_limit_gets_a_part_of_its_own_flagged_oversized()
    {
        var big = $"2,\"{new string('x', 100)}\n{new string('y', 100)}\"\n";
        var source = Encoding.UTF8.GetBytes("id,note\n1,a\n" + big + "3,b\n4,c\n");

        var plan = await CsvPartPlanner.PlanAsync(new MemoryStream(source), 50, CancellationToken.None);

        Assert.Equal(
            [
                new CsvPart(0, 8, 4, 1, 1),
                new CsvPart(1, 12, big.Length, 2, 1, Oversized: true),
                new CsvPart(2, 12 + big.Length, 8, 3, 2),
            ],
            plan.Parts);
    }

    [Fact]
    public async Task Blank_lines_stay_in_the_parts_but_are_not_counted_as_rows()
    {
        var source = "id\n\n1\n\r\n2\n\n"u8.ToArray();

        var roomy = await CsvPartPlanner.PlanAsync(new MemoryStream(source), 8, CancellationToken.None);
        var tight = await CsvPartPlanner.PlanAsync(new MemoryStream(source), 6, CancellationToken.None);

        // Header 3 bytes, so parts of at most 5 and 3 bytes.
        Assert.Equal([new CsvPart(0, 3, 5, 1, 1), new CsvPart(1, 8, 3, 2, 1)], roomy.Parts);
        Assert.Equal(
            [new CsvPart(0, 3, 3, 1, 1), new CsvPart(1, 6, 2, 2, 0), new CsvPart(2, 8, 3, 2, 1)],
            tight.Parts);
    }

    [Fact]
    public async Task A_bom_is_left_out_of_the_header_repeated_in_each_part()
    {
        byte[] source = [0xEF, 0xBB, 0xBF, .. "id,name\r\n1,Ann\r\n2,Bob\r\n"u8];

        var plan = await CsvPartPlanner.PlanAsync(new MemoryStream(source), 16, CancellationToken.None);

        Assert.Equal(3, plan.HeaderStart);
        Assert.Equal("id,name\r\n", Encoding.UTF8.GetString(source, 3, (int)plan.HeaderLength));
        Assert.Equal([new CsvPart(0, 12, 7, 1, 1), new CsvPart(1, 19, 7, 2, 1)], plan.Parts);
    }

    [Fact]
    public async Task A_last_row_without_newline_is_in_the_last_part()
    {
        var source = "id\n1\n2"u8.ToArray();

        var plan = await CsvPartPlanner.PlanAsync(new MemoryStream(source), 5, CancellationToken.None);

        Assert.Equal([new CsvPart(0, 3, 2, 1, 1), new CsvPart(1, 5, 1, 2, 1)], plan.Parts);
    }

    [Fact]
    public async Task A_header_only_file_has_no_parts()
    {
        var plan = await CsvPartPlanner.PlanAsync(new MemoryStream("id,name\n"u8.ToArray()), 100, CancellationToken.None);

        Assert.Equal((0L, 8L), (plan.HeaderStart, plan.HeaderLength));
        Assert.Empty(plan.Parts);
    }

    [Fact]
    public async Task A_file_ending_inside_quotes_cannot_be_planned()
    {
        var thrown = await Assert.ThrowsAsync<InvalidDataException>(() => CsvPartPlanner.PlanAsync(new MemoryStream("id\n1\n\"open\n2\n"u8.ToArray()), 100, CancellationToken.None));

        Assert.Contains("offset 5", thrown.Message, StringComparison.Ordinal);
    }
}
