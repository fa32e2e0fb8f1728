using System.Globalization;

namespace Integration.Imports;

/// <summary>A drop's path, <c>{customer_id}/{sheet}/{file}.csv</c>, parsed; or why it is not one.</summary>
public sealed record ImportBlobName(string BlobName, long CustomerId, string Sheet, string FileName)
{
    public const string ExpectedShape = "{customer_id}/{sheet}/{file}.csv, where customer_id is an integer and sheet is 'sites' or 'site_contacts'";

    public static ImportBlobName? TryParse(string blobName, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        var segments = blobName.Split('/');
        problem = segments switch
        {
            _ when UnsafeBecause(blobName) is { } unsafeName => $"The blob name '{Printable(blobName)}' {unsafeName}; expected {ExpectedShape}.",
            { Length: not 3 } => $"The blob name '{blobName}' has {segments.Length} path segment(s); expected {ExpectedShape}.",
            [var customer, _, _] when !long.TryParse(customer, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0 =>
                $"The customer id '{customer}' is not a positive integer; expected {ExpectedShape}.",
            [_, var sheet, _] when !ImportSheet.All.Contains(sheet) =>
                $"The sheet '{sheet}' is unknown; expected 'sites' or 'site_contacts' ({ExpectedShape}).",
            [_, _, var file] when !file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || file.Length <= 4 =>
                $"The file name '{file}' does not end in .csv; expected {ExpectedShape}.",
            _ => null,
        };
        return problem is null
            ? new ImportBlobName(blobName, long.Parse(segments[0], CultureInfo.InvariantCulture), segments[1], segments[2])
            : null;
    }

    /// <summary>
    /// A name that stays where it is put: no empty, <c>.</c> or <c>..</c> segment, no backslash, no percent sign (an
    /// encoded separator), no control character, at most 1,024 characters. Storage clients normalise the others away,
    /// into another path or another container.
    /// </summary>
    public static bool IsSafePath(string name) => UnsafeBecause(name) is null;

    private static string? UnsafeBecause(string name) => name switch
    {
        "" => "is empty",
        { Length: > 1024 } => "is longer than 1,024 characters",
        _ when name.Split('/').Any(s => s is "" or "." or "..") => "has an empty, '.' or '..' path segment",
        _ when name.Contains('\\', StringComparison.Ordinal) => "contains a backslash",
        _ when name.Contains('%', StringComparison.Ordinal) => "contains '%' (an encoded character)",
        _ when name.Any(char.IsControl) => "contains a control character",
        _ => null,
    };

    private static string Printable(string name) => new([.. name.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
}
