using Integration.Imports.Csv;

namespace Integration.Tests.Imports.Csv;

/// <summary>
/// An index at any granularity (records counted in bulk between checkpoints) agrees with one of every record, and any
/// split planned from it rebuilds the file with every part within the limit.
/// </summary>
public sealed class CsvRecordIndexTests
{
    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 40));

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Checkpoints_at_any_granularity_sit_on_record_boundaries_with_the_right_row_counts(int seed)
    {
        var csv = RandomCsv.Create(seed);
        var exact = await CsvRecordIndex.BuildAsync(new MemoryStream(csv.Bytes), 1);
        var boundaries = Enumerable.Range(0, exact.Checkpoints).ToDictionary(exact.OffsetAt, exact.RowsBefore);

        foreach (var granularity in new long[] { 2, 7, 64, 1000, 1 << 20 })
        {
            foreach (var source in new Stream[] { new MemoryStream(csv.Bytes), ChunkedStream.OddChunks(csv.Bytes) })
            {
                var index = await CsvRecordIndex.BuildAsync(source, granularity);

                Assert.Equal((exact.HeaderStart, exact.HeaderLength, exact.DataRows), (index.HeaderStart, index.HeaderLength, index.DataRows));
                Assert.Equal(csv.Rows.Count, index.DataRows);
                Assert.Equal(exact.OffsetAt(exact.Checkpoints - 1), index.OffsetAt(index.Checkpoints - 1));
                for (var i = 0; i < index.Checkpoints; i++)
                {
                    Assert.True(boundaries.TryGetValue(index.OffsetAt(i), out var rows), $"seed {seed}, granularity {granularity}: checkpoint {index.OffsetAt(i)} is not a record boundary");
                    Assert.Equal(rows, index.RowsBefore(i));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_split_planned_from_a_coarse_index_rebuilds_the_file_within_the_limit_or_asks_for_a_finer_one(int seed)
    {
        var csv = RandomCsv.Create(seed);
        var index = await CsvRecordIndex.BuildAsync(new MemoryStream(csv.Bytes), 64);

        foreach (var limit in new long[] { 100, 300, 1000, 5000 })
        {
            if (CsvPartPlanner.Plan(index, index.HeaderEnd, limit) is not { } plan)
            {
                continue; // too coarse for this limit: the run indexes again at a finer granularity
            }

            var expected = index.HeaderEnd;
            var rows = 0L;
            foreach (var part in plan.Parts)
            {
                Assert.Equal(expected, part.Start);
                Assert.True(part.Oversized || plan.HeaderLength + part.Length <= limit, $"seed {seed}, limit {limit}: {part}");
                Assert.Equal(rows + 1, part.FirstRow);
                rows += part.RowCount;
                expected = part.End;
            }

            Assert.Equal(csv.Bytes.Length, expected);
            Assert.Equal(csv.Rows.Count, rows);
        }
    }
}
