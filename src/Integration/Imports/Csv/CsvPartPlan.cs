namespace Integration.Imports.Csv;

/// <summary>
/// How to split a CSV into parts that each fit a size limit: part <c>i</c> is sent as
/// <c>source[HeaderStart, HeaderStart + HeaderLength)</c> followed by <c>source[Parts[i].Start, Parts[i].End)</c>.
/// </summary>
/// <param name="HeaderStart">3 when the file starts with a UTF-8 BOM (not repeated in the parts), else 0.</param>
/// <param name="HeaderLength">Bytes of the header row, its own line terminator included.</param>
/// <param name="Parts">Contiguous parts covering every byte after the header exactly once, in order.</param>
public sealed record CsvPartPlan(long HeaderStart, long HeaderLength, IReadOnlyList<CsvPart> Parts)
{
    /// <summary>Absolute offset just after the header: where the first part starts.</summary>
    public long HeaderEnd => HeaderStart + HeaderLength;
}
