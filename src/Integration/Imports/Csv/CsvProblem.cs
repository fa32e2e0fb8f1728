namespace Integration.Imports.Csv;

/// <summary>Why <see cref="CsvInspector"/> rejected a file.</summary>
public enum CsvProblem
{
    /// <summary>No bytes at all (or only a byte order mark).</summary>
    Empty,

    /// <summary>More bytes than <see cref="CsvLimits.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>Not valid UTF-8 (e.g. a Latin-1 or UTF-16 export).</summary>
    NotUtf8,

    /// <summary>Not text: a NUL byte, or the signature of a known binary format (PNG, ZIP/xlsx, PDF…).</summary>
    Binary,

    /// <summary>The first line is blank, or no usable header line could be found.</summary>
    NoHeader,

    /// <summary>A header but no non-blank data record.</summary>
    HeaderOnly,

    /// <summary>The file ends inside a quoted field.</summary>
    UnterminatedQuote,

    /// <summary>A header column has no name.</summary>
    EmptyHeaderColumn,

    /// <summary>Two header columns have the same name (ignoring case and surrounding spaces).</summary>
    DuplicateHeaderColumn,
}
