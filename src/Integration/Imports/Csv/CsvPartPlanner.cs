namespace Integration.Imports.Csv;

/// <summary>
/// Plans the split of a CSV into parts under a size limit, on record boundaries (a quoted newline never splits).
/// Parts are byte ranges of the source, so each can be re-read with a ranged read.
/// </summary>
/// <remarks>
/// Parts are filled greedily: a part ends only when the next checkpoint of the <see cref="CsvRecordIndex"/> would take
/// header + part over the limit (with an index of every record, when the next record would). A span between two
/// checkpoints that does not fit even alone forms its own part, flagged <see cref="CsvPart.Oversized"/> when it is one
/// record (every record is when the header alone reaches the limit). Rows are numbered as by <see cref="CsvInspector"/>
/// (non-blank records after the header, from 1).
/// </remarks>
public static class CsvPartPlanner
{
    /// <summary>One pass over <paramref name="source"/> indexing every record, then the plan from the first data byte.</summary>
    public static async Task<CsvPartPlan> PlanAsync(Stream source, long maxPartBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPartBytes);
        var index = await CsvRecordIndex.BuildAsync(source, 1, cancellationToken);
        return Plan(index, index.HeaderEnd, maxPartBytes)
            ?? throw new InvalidOperationException("An index of every record always plans.");
    }

    /// <summary>
    /// The parts from checkpoint <paramref name="from"/> to the end, each at most <paramref name="maxPartBytes"/> with the
    /// header; or null when the index is too coarse for that limit (a span between two checkpoints holds several
    /// records and does not fit): index the file again at a finer granularity.
    /// </summary>
    public static CsvPartPlan? Plan(CsvRecordIndex index, long from, long maxPartBytes)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPartBytes);
        var i = index.CheckpointAt(from);
        if (i < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, "Parts start at a checkpoint of the index.");
        }

        var parts = new List<CsvPart>();
        var budget = maxPartBytes - index.HeaderLength;
        var last = index.Checkpoints - 1;
        while (i < last)
        {
            var start = index.OffsetAt(i);
            var j = index.LastCheckpointAtOrBefore(budget > long.MaxValue - start ? long.MaxValue : start + budget);
            var oversized = false;
            if (j <= i)
            {
                j = i + 1;
                var rows = index.RowsBefore(j) - index.RowsBefore(i);
                if (rows > 1)
                {
                    return null;
                }

                oversized = true;
            }

            parts.Add(new CsvPart(
                parts.Count,
                start,
                index.OffsetAt(j) - start,
                index.RowsBefore(i) + 1,
                index.RowsBefore(j) - index.RowsBefore(i),
                Oversized: oversized));
            i = j;
        }

        return new CsvPartPlan(index.HeaderStart, index.HeaderLength, parts);
    }
}
