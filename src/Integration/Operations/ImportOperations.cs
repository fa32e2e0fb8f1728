using Azure;
using Azure.Storage.Blobs;
using Integration.Imports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Operations;

/// <summary>Imports for operators: what failed or was rejected (from the ledger), and re-running one on request.</summary>
public sealed class ImportOperations(
    ImportLedger ledger,
    ImportHandler handler,
    BlobServiceClient blobs,
    IOptions<ImportsOptions> imports,
    OpsAudit audit,
    ILogger<ImportOperations> logger)
{
    /// <summary>Statuses an operator looks at first.</summary>
    public static readonly IReadOnlyList<string> ProblemStatuses = [ImportOutcome.Failed, ImportOutcome.Rejected, "retrying", ImportOutcome.SucceededWithRowErrors];

    /// <summary>Ledger imports with one of <paramref name="statuses"/> (all when empty), last written since <paramref name="since"/>, newest first.</summary>
    public async Task<IReadOnlyList<ImportSummary>> ListAsync(IReadOnlyCollection<string> statuses, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var found = new List<ImportSummary>();
        await foreach (var entry in ledger.ImportsAsync(cancellationToken))
        {
            if ((statuses.Count == 0 || statuses.Contains(entry.Status, StringComparer.OrdinalIgnoreCase)) && (since is null || entry.Timestamp >= since))
            {
                found.Add(new ImportSummary(entry.BlobName, entry.BlobETag, entry.Status, entry.Attempts, entry.PartnerStatus, entry.PartnerRequestId, entry.ReportBlob, entry.Timestamp));
            }
        }

        return [.. found.OrderByDescending(i => i.UpdatedAt)];
    }

    /// <summary>
    /// Imports the blob's current version again even if the ledger marks it done: forgets that version in the ledger,
    /// then runs the handler as the trigger would. Audited.
    /// </summary>
    public async Task<ImportOutcome> ReimportAsync(string blobName, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(blobName);
        var blob = blobs.GetBlobContainerClient(imports.Value.Container).GetBlobClient(blobName);
        ETag etag;
        try
        {
            etag = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await audit.RecordAsync(actor, "imports.reimport", false, new { Blob = blobName }, new { Forgotten = 0 }, "failed: no such blob", CancellationToken.None);
            throw new InvalidOperationException($"No blob '{blobName}' in container '{imports.Value.Container}'.", e);
        }

        var forgotten = await ledger.ForgetAsync(blobName, etag, cancellationToken);
        logger.LogWarning("Re-import of {BlobName} version {ETag} requested by {Actor}: {Forgotten} ledger rows forgotten", blobName, etag, actor, forgotten);
        var outcome = await handler.HandleAsync(blob, cancellationToken);
        await audit.RecordAsync(actor, "imports.reimport", false, new { Blob = blobName, ETag = etag.ToString() }, new { Forgotten = forgotten }, $"completed: {outcome.Status}", CancellationToken.None);
        return outcome;
    }
}

/// <summary>One import as the ledger has it.</summary>
public sealed record ImportSummary(
    string Blob,
    string BlobETag,
    string Status,
    int Attempts,
    int? PartnerStatus,
    string? PartnerRequestId,
    string? ReportBlob,
    DateTimeOffset? UpdatedAt);
