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
    public static IReadOnlyList<string> ProblemStatuses => ImportStatus.NeedAttention;

    /// <summary>
    /// One page of the ledger's imports with one of <paramref name="statuses"/> (all when empty), last written since
    /// <paramref name="since"/>, newest first, after <paramref name="after"/> (a <see cref="ImportPosition"/> a previous
    /// page ended on). Holds at most one page in memory; the table service does the filtering.
    /// </summary>
    public async Task<OpsPage<ImportSummary>> ListAsync(
        IReadOnlyCollection<string> statuses, DateTimeOffset? since, int size, string? after, CancellationToken cancellationToken)
    {
        var from = after is null ? null : ImportPosition.Parse(after) ?? throw new ArgumentException("after: not a position in the imports listing", nameof(after));
        var page = new SortedSet<ImportSummary>(ImportPosition.Order);
        await foreach (var entry in ledger.ImportsAsync(statuses, since, cancellationToken))
        {
            var summary = new ImportSummary(entry.BlobName, entry.BlobETag, entry.Status, entry.Attempts, entry.PartnerStatus, entry.PartnerRequestId, entry.ReportBlob, entry.Timestamp);
            if (from is null || ImportPosition.Order.Compare(summary, from) > 0)
            {
                page.Add(summary);
                if (page.Count > size + 1)
                {
                    page.Remove(page.Max!);
                }
            }
        }

        var items = page.Take(size).ToList();
        return new OpsPage<ImportSummary>(items, page.Count > size ? OpsPaging.Encode(ImportPosition.Of(items[^1])) : null);
    }

    /// <summary>The first <paramref name="size"/> imports of <see cref="ListAsync(IReadOnlyCollection{string}, DateTimeOffset?, int, string?, CancellationToken)"/>.</summary>
    public async Task<IReadOnlyList<ImportSummary>> ListAsync(IReadOnlyCollection<string> statuses, DateTimeOffset? since, CancellationToken cancellationToken) =>
        (await ListAsync(statuses, since, OpsPaging.MaxSize, null, cancellationToken)).Items;

    /// <summary>
    /// Imports the blob's current version again even if the ledger marks it done: forgets that version in the ledger,
    /// then runs the handler as the trigger would. Audited.
    /// </summary>
    public async Task<ImportOutcome> ReimportAsync(string blobName, string actor, CancellationToken cancellationToken)
    {
        var (blob, etag) = await CurrentVersionAsync(blobName, "imports.reimport", actor, cancellationToken);
        var audited = await audit.StartAsync(actor, "imports.reimport", false, new { Blob = blobName, ETag = etag.ToString() }, cancellationToken);
        var forgotten = await ledger.ForgetAsync(blobName, etag, cancellationToken);
        logger.LogWarning("Re-import of {BlobName} version {ETag} requested by {Actor}: {Forgotten} ledger rows forgotten", blobName, etag, actor, forgotten);
        return await RunHandlerAsync(blob, audited, new { Forgotten = forgotten }, cancellationToken);
    }

    /// <summary>
    /// Settles an import held with <c>outcome_unknown</c> (a part's answer was lost) with what the operator found in
    /// Dragonfruit: <paramref name="arrived"/> goes on without sending that part again, otherwise it is sent again.
    /// Then runs the handler as the trigger would. Audited.
    /// </summary>
    public async Task<ImportOutcome> ResolveAsync(string blobName, bool arrived, string actor, CancellationToken cancellationToken)
    {
        var (blob, etag) = await CurrentVersionAsync(blobName, "imports.resolve", actor, cancellationToken);
        var import = await ledger.GetImportAsync(blobName, etag, cancellationToken);
        if (import?.Status != ImportStatus.Unknown || await ledger.PendingUploadAsync(blobName, etag, cancellationToken) is not { } pending)
        {
            await audit.RecordAsync(actor, "imports.resolve", false, new { Blob = blobName, Arrived = arrived }, new { Part = (int?)null }, $"failed: not held (status {import?.Status ?? "none"})", CancellationToken.None);
            throw new InvalidOperationException($"'{blobName}' is not held for a lost answer (its status is {import?.Status ?? "not imported yet"}); there is nothing to resolve.");
        }

        var audited = await audit.StartAsync(actor, "imports.resolve", false, new { Blob = blobName, ETag = etag.ToString(), Arrived = arrived }, cancellationToken);
        var note = arrived ? $"answer lost; {actor} confirmed it arrived (row errors unknown)" : $"answer lost; {actor} found it did not arrive, sent again";
        await ledger.ResolvePendingAsync(pending, arrived, note, cancellationToken);
        logger.LogWarning("Lost answer for {BlobName} version {ETag} resolved by {Actor}: {Resolution}", blobName, etag, actor, arrived ? "arrived" : "lost");
        return await RunHandlerAsync(blob, audited, new { pending.Part }, cancellationToken);
    }

    /// <summary>Runs the handler as the trigger would and completes the operation's audit row with how it ended.</summary>
    private async Task<ImportOutcome> RunHandlerAsync(BlobClient blob, OpsAuditEntry audited, object counts, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await handler.HandleAsync(blob, cancellationToken);
            await audit.CompleteAsync(audited, counts, $"completed: {outcome.Status}", CancellationToken.None);
            return outcome;
        }
        catch (Exception e) when (e is ImportRetryException or OperationCanceledException or RequestFailedException)
        {
            await audit.CompleteAsync(audited, counts, $"failed: {e.Message}", CancellationToken.None);
            throw;
        }
    }

    private async Task<(BlobClient Blob, ETag ETag)> CurrentVersionAsync(string blobName, string operation, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        if (ImportBlobName.TryParse(blobName, out var problem) is null)
        {
            await audit.RecordAsync(actor, operation, false, new { Blob = ImportReports.ResultsPath(blobName) }, new { }, "refused: not a drop name", CancellationToken.None);
            throw new InvalidBlobNameException($"'{blobName}' is not a drop in container '{imports.Value.Container}': {problem} Nothing was sent.");
        }

        var blob = blobs.GetBlobContainerClient(imports.Value.Container).GetBlobClient(blobName);
        try
        {
            return (blob, (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await audit.RecordAsync(actor, operation, false, new { Blob = blobName }, new { }, "failed: no such blob", CancellationToken.None);
            throw new InvalidOperationException($"No blob '{blobName}' in container '{imports.Value.Container}'.", e);
        }
    }
}

/// <summary>A blob name from outside (an operator, an HTTP caller) that is not a drop of the imports container.</summary>
public sealed class InvalidBlobNameException : ArgumentException
{
    public InvalidBlobNameException()
    {
    }

    public InvalidBlobNameException(string message)
        : base(message)
    {
    }

    public InvalidBlobNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Where a page of imports ends: newest first, then by blob name and version.</summary>
internal static class ImportPosition
{
    public static readonly IComparer<ImportSummary> Order = Comparer<ImportSummary>.Create((a, b) =>
        (b.UpdatedAt ?? DateTimeOffset.MinValue).CompareTo(a.UpdatedAt ?? DateTimeOffset.MinValue) is var byTime and not 0 ? byTime
        : string.CompareOrdinal(a.Blob, b.Blob) is var byName and not 0 ? byName
        : string.CompareOrdinal(a.BlobETag, b.BlobETag));

    public static string Of(ImportSummary last) =>
        $"{(last.UpdatedAt ?? DateTimeOffset.MinValue).UtcTicks}|{last.BlobETag}|{last.Blob}";

    /// <summary>A summary standing for the position (only the fields <see cref="Order"/> compares); invalid text gives the start.</summary>
    public static ImportSummary? Parse(string position)
    {
        var parts = position.Split('|', 3);
        return parts.Length == 3 && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var ticks) && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new ImportSummary(parts[2], parts[1], "", 0, null, null, null, new DateTimeOffset(ticks, TimeSpan.Zero))
            : null;
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
