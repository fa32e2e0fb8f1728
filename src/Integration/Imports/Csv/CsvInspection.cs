namespace Integration.Imports.Csv;

/// <summary>What <see cref="CsvInspector"/> found, as a value.</summary>
public abstract record CsvInspection
{
    private CsvInspection()
    {
    }

    /// <param name="Header">The header row's text, without BOM and line terminator.</param>
    /// <param name="HeaderColumnCount">Columns of the header.</param>
    /// <param name="DataRows">Non-blank records after the header (a quoted newline does not start a new row).</param>
    /// <param name="Bytes">Size of the file, BOM included.</param>
    /// <param name="HasBom">The file starts with a UTF-8 byte order mark.</param>
    /// <param name="HeaderEndOffset">Absolute offset just after the header row's line terminator.</param>
    public sealed record Valid(string Header, int HeaderColumnCount, long DataRows, long Bytes, bool HasBom, long HeaderEndOffset) : CsvInspection;

    /// <param name="Code">The first problem found (reading stops there).</param>
    /// <param name="Message">A sentence for the upstream team: what is wrong, where, and what to do.</param>
    public sealed record Invalid(CsvProblem Code, string Message) : CsvInspection;
}
