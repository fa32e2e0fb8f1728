using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Integration.Imports.Csv;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// Writes reports, failing-row CSVs and the row errors of sent parts into the results container, under the drop's own
/// path, and only there: a name that is not a plain drop path (dot segments, backslashes, encoded separators) is
/// written under <c>_unsafe-names/</c> by its hash instead.
/// </summary>
public sealed class ImportReports(BlobServiceClient blobs, IOptions<ImportsOptions> options)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private BlobContainerClient? _container;

    public static string ReportName(string blobName) => $"{ResultsPath(blobName)}.report.json";

    public static string FailedRowsName(string blobName) => $"{ResultsPath(blobName)}.failed-rows.csv";

    /// <summary>Where a sent part's row errors are kept (any size), so a resumed import still reports them.</summary>
    public static string PartErrorsName(string blobName, Azure.ETag version, string uploadKey) =>
        $"{ResultsPath(blobName)}.parts/{version.ToString().Trim('"')}/{uploadKey}.errors.json";

    /// <summary>The drop's own path when it is a safe one, else a hashed name that cannot leave the results container.</summary>
    public static string ResultsPath(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        return ImportBlobName.IsSafePath(blobName)
            ? blobName
            : $"_unsafe-names/{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)))[..32].ToLowerInvariant()}";
    }

    public async Task<string> WriteAsync(ImportReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var name = ReportName(report.Blob);
        await (await ContainerAsync(cancellationToken)).GetBlobClient(name).UploadAsync(
            BinaryData.FromObjectAsJson(report, Json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        return name;
    }

    public async Task<string> WritePartErrorsAsync(ImportSource source, string uploadKey, SentPartErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var name = PartErrorsName(source.Name, source.Version, uploadKey);
        await (await ContainerAsync(cancellationToken)).GetBlobClient(name).UploadAsync(BinaryData.FromObjectAsJson(errors, Json), overwrite: true, cancellationToken);
        return name;
    }

    public async Task<SentPartErrors> ReadPartErrorsAsync(string name, CancellationToken cancellationToken)
    {
        var content = await (await ContainerAsync(cancellationToken)).GetBlobClient(name).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToObjectFromJson<SentPartErrors>(Json)!;
    }

    /// <summary>The source's header plus an <c>import_error</c> column, then every failing source row with its error(s), streamed.</summary>
    public async Task<string> WriteFailedRowsAsync(ImportSource source, string header, IReadOnlyList<ReportedRowError> errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(errors);
        var byRow = errors.Where(e => e.SourceRow is not null)
            .GroupBy(e => e.SourceRow!.Value)
            .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(e => e.Message)));
        var name = FailedRowsName(source.Name);
        var target = (await ContainerAsync(cancellationToken)).GetBlobClient(name);
        await using var read = await source.OpenAtAsync(0, cancellationToken);
        await using var output = await target.OpenWriteAsync(overwrite: true, new BlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } }, cancellationToken);
        await output.WriteAsync(Encoding.UTF8.GetBytes(header + ",import_error\n"), cancellationToken);
        await FailedRowsCsv.WriteAsync(read, byRow, output, cancellationToken);
        return name;
    }

    /// <summary>The results container, created once per process.</summary>
    private async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        if (_container is { } known)
        {
            return known;
        }

        var container = blobs.GetBlobContainerClient(options.Value.ResultsContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return _container = container;
    }
}

/// <summary>A sent part's row errors as kept in the results container (<see cref="ImportReports.PartErrorsName"/>).</summary>
public sealed record SentPartErrors(IReadOnlyDictionary<string, string>? RawErrors, IReadOnlyList<RowError> Errors);
