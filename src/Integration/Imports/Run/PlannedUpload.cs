namespace Integration.Imports;

/// <summary>
/// One upload the run means to send: the whole file (<see cref="ImportLedger.WholeRow"/>), or one part of a split file
/// (the header's bytes, then <c>[Start, Start + Length)</c>).
/// </summary>
internal sealed record PlannedUpload(string Key, int Index, IReadOnlyList<ByteRange> Ranges, long? Start, long? Length, long FirstRow, long RowCount, bool Oversized = false)
{
    public bool IsWhole => Key == ImportLedger.WholeRow;

    public long Bytes => Ranges.Sum(r => r.Length);

    public UploadFacts Facts(long rowCount) => new(Key, Index, Start, Length, FirstRow, rowCount, Bytes);
}

/// <summary>An upload Dragonfruit accepted (in this run or an earlier one), with what it said of its rows.</summary>
internal sealed record AcceptedUpload(PlannedUpload Upload, PartReport Report, IReadOnlyList<RowError> Errors);

/// <summary>An upload whose whole body went out without an answer: what an operator needs to check in Dragonfruit.</summary>
internal sealed record HeldUpload(int Part, long FirstRow, long RowCount, long Bytes, DateTimeOffset? BodySentAt);
