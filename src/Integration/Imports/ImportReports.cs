using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Integration.Imports.Csv;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>Writes reports and failing-row CSVs into the results container, under the drop's own path.</summary>
public sealed class ImportReports(BlobServiceClient blobs, IOptions<ImportsOptions> options)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ReportName(string blobName) => $"{blobName}.report.json";

    public static string FailedRowsName(string blobName) => $"{blobName}.failed-rows.csv";

    public async Task<string> WriteAsync(ImportReport report, CancellationToken cancellationToken)
    {
        var name = ReportName(report.Blob);
        await (await ContainerAsync(cancellationToken)).GetBlobClient(name).UploadAsync(
            BinaryData.FromObjectAsJson(report, Json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        return name;
    }

    /// <summary>The source's header plus an <c>import_error</c> column, then every failing source row with its error(s).</summary>
    public async Task<string> WriteFailedRowsAsync(
        string blobName,
        string header,
        Func<long, CancellationToken, Task<Stream>> openAt,
        IReadOnlyList<ReportedRowError> errors,
        CancellationToken cancellationToken)
    {
        var byRow = errors.Where(e => e.SourceRow is not null)
            .GroupBy(e => e.SourceRow!.Value)
            .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(e => e.Message)));
        var name = FailedRowsName(blobName);
        var target = (await ContainerAsync(cancellationToken)).GetBlobClient(name);
        await using var source = await openAt(0, cancellationToken);
        await using var output = await target.OpenWriteAsync(overwrite: true, new BlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } }, cancellationToken);
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await writer.WriteLineAsync(header + ",import_error");
        await foreach (var (row, record) in CsvRecordReader.ReadRecordsAsync(source, cancellationToken))
        {
            if (byRow.TryGetValue(row, out var message))
            {
                await writer.WriteLineAsync($"{record},\"{message.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            }
        }

        return name;
    }

    private async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(options.Value.ResultsContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return container;
    }
}
