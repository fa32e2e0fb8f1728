namespace Integration.Imports.Csv;

/// <summary>
/// One part of a split CSV: the bytes <c>[Start, Start + Length)</c> of the source, sent after the header bytes.
/// </summary>
/// <param name="Index">0-based position of the part.</param>
/// <param name="Start">Absolute offset of the part's first byte in the source (always a record start).</param>
/// <param name="Length">Bytes of the part (whole records, terminators included).</param>
/// <param name="FirstRow">
/// 1-based data-row number of the part's first row (rows count non-blank records after the header);
/// when <paramref name="RowCount"/> is 0, the number the next row will have.
/// </param>
/// <param name="RowCount">
/// Non-blank records in the part. Blank lines stay in the part's bytes but are not rows; a part can hold only blank
/// lines (RowCount 0) when they alone fill a part, which callers may skip sending.
/// </param>
/// <param name="Oversized">
/// The part is a single record that does not fit the limit even alone (header + record exceeds it).
/// </param>
public sealed record CsvPart(int Index, long Start, long Length, long FirstRow, long RowCount, bool Oversized = false)
{
    /// <summary>Absolute offset just after the part's last byte.</summary>
    public long End => Start + Length;
}
