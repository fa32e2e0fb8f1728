namespace Integration.Imports.Csv;

/// <summary>What <see cref="CsvInspector"/> accepts.</summary>
public sealed record CsvLimits
{
    /// <summary>Largest accepted file, in bytes (BOM included).</summary>
    public required long MaxBytes { get; init; }

    /// <summary>
    /// Longest accepted header row. The header is the only part of the file held in memory, so a file without
    /// line breaks (or with an unclosed quote in its first line) is rejected once its first record passes this size.
    /// </summary>
    public int MaxHeaderBytes { get; init; } = 1024 * 1024;
}
