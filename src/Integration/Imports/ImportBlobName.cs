using System.Globalization;

namespace Integration.Imports;

/// <summary>A drop's path, <c>{customer_id}/{sheet}/{file}.csv</c>, parsed; or why it is not one.</summary>
public sealed record ImportBlobName(string BlobName, long CustomerId, string Sheet, string FileName)
{
    public const string ExpectedShape = "{customer_id}/{sheet}/{file}.csv, where customer_id is an integer and sheet is 'sites' or 'site_contacts'";

    public static ImportBlobName? TryParse(string blobName, out string? problem)
    {
        var segments = blobName.Split('/');
        problem = segments switch
        {
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
}
