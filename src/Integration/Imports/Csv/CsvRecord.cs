namespace Integration.Imports.Csv;

/// <summary>
/// One CSV record as a byte range of the source: <c>[Start, End)</c>, including its line terminator.
/// </summary>
/// <param name="Start">Absolute offset of the record's first byte.</param>
/// <param name="End">Absolute offset just after the record's last byte (after its <c>\n</c> when it has one).</param>
/// <param name="TerminatorLength">
/// Bytes of <see cref="Length"/> that are the line terminator: 2 for <c>\r\n</c>, 1 for <c>\n</c>,
/// 0 for a final record without one (1 when such a final record ends in a lone <c>\r</c>).
/// </param>
public readonly record struct CsvRecord(long Start, long End, int TerminatorLength)
{
    /// <summary>Bytes of the record, terminator included.</summary>
    public long Length => End - Start;

    /// <summary>Bytes of the record without its line terminator.</summary>
    public long ContentLength => Length - TerminatorLength;

    /// <summary>A blank line (<c>\n</c> or <c>\r\n</c> alone): callers usually skip it.</summary>
    public bool IsBlank => ContentLength == 0;
}
