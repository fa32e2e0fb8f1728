using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// The sweep for drops whose event never came (dropped before the Event Grid subscription, a lost event) or whose
/// runs never finished: every drop older than <see cref="ImportsOptions.ReconcileAfter"/> without a final ledger status
/// and not claimed by a live run is imported now, through the same <see cref="ImportHandler"/> (claim rules included).
/// Scheduled by the flat app setting <c>ImportReconcileSchedule</c>.
/// </summary>
public sealed partial class ImportReconciler(
    BlobServiceClient blobs,
    ImportLedger ledger,
    ImportHandler handler,
    IOptions<ImportsOptions> options,
    TimeProvider time,
    ILogger<ImportReconciler> logger)
{
    public async Task<ReconcileSummary> RunAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(options.Value.Container);
        var now = time.GetUtcNow();
        var summary = new ReconcileSummary();
        await foreach (var item in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            summary.Seen++;
            if (item.Properties.LastModified > now - options.Value.ReconcileAfter)
            {
                summary.TooRecent++;
                continue;
            }

            var row = await ledger.GetImportAsync(item.Name, item.Properties.ETag!.Value, cancellationToken);
            if (ImportStatus.IsFinal(row?.Status) || row is { ClaimedBy: not null } && row.ClaimExpiresAt > now)
            {
                summary.Settled++;
                continue;
            }

            try
            {
                var outcome = await handler.HandleAsync(container.GetBlobClient(item.Name), cancellationToken);
                LogImported(item.Name, row?.Status ?? "no ledger row", outcome.Status);
                summary.Imported++;
            }
            catch (ImportRetryException e)
            {
                LogNotYet(item.Name, e.Message);
                summary.NotYet++;
            }
        }

        LogSwept(summary.Seen, summary.Settled, summary.TooRecent, summary.Imported, summary.NotYet);
        return summary;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation imported {BlobName} (it had {LedgerStatus}: its event never came or its runs never finished): {Status}")]
    private partial void LogImported(string blobName, string ledgerStatus, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation could not finish {BlobName} now: {Reason}")]
    private partial void LogNotYet(string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation swept {Seen} drops: {Settled} settled, {TooRecent} too recent, {Imported} imported, {NotYet} to try again")]
    private partial void LogSwept(int seen, int settled, int tooRecent, int imported, int notYet);
}

/// <summary>What one reconciliation sweep found.</summary>
public sealed class ReconcileSummary
{
    public int Seen { get; set; }
    public int Settled { get; set; }
    public int TooRecent { get; set; }
    public int Imported { get; set; }
    public int NotYet { get; set; }
}
