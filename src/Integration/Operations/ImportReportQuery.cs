using Azure;
using Azure.Storage.Blobs;
using Integration.Imports;
using Microsoft.Extensions.Options;

namespace Integration.Operations;

/// <summary>
/// An import's report as written beside the drop (<c>GET ops/imports/report?blob=…</c>): status, rejection, partner
/// failure, row errors, and for a file held for a lost answer what to check in Dragonfruit. Reports are redacted when
/// written; nothing else is read.
/// </summary>
public sealed class ImportReportQuery(BlobServiceClient blobs, IOptions<ImportsOptions> options)
{
    /// <summary>The report, or null when none was written yet; a name that is not a drop throws <see cref="InvalidBlobNameException"/>.</summary>
    public async Task<ImportReport?> GetAsync(string blobName, CancellationToken cancellationToken)
    {
        if (ImportBlobName.TryParse(blobName, out var problem) is null)
        {
            throw new InvalidBlobNameException($"'{blobName}' is not a drop in container '{options.Value.Container}': {problem}");
        }

        try
        {
            var report = await blobs.GetBlobContainerClient(options.Value.ResultsContainer).GetBlobClient(ImportReports.ReportName(blobName)).DownloadContentAsync(cancellationToken);
            return report.Value.Content.ToObjectFromJson<ImportReport>(ImportReports.Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
