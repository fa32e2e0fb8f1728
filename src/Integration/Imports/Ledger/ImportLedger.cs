using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Integration.Storage;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// Which blob versions (name + ETag) were imported and which of their uploads went out, in Azure Table storage: one
/// import row per version (claimed by one run at a time, see <see cref="ImportClaim"/>), one row per upload. The only
/// writer of the ledger; its methods say what happened, and <see cref="ImportStatus"/>/<see cref="PartStatus"/> are
/// its words.
/// </summary>
public sealed class ImportLedger(TableServiceClient tables, IOptions<ImportsOptions> options, TimeProvider time)
{
    public const string ImportRow = "import";

    /// <summary>The row of the upload of the whole file (a file sent in one request).</summary>
    public const string WholeRow = "whole";

    private readonly LazyTable _table = new(tables, () => options.Value.LedgerTable);

    /// <summary>
    /// Claims a blob version for this run: inserts its import row if absent, or takes over one whose claim expired
    /// (an ETag-matched write). At most one run holds a version's claim at a time.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(ImportSource source, string holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var table = await TableAsync(cancellationToken);
        var row = new LedgerEntry
        {
            PartitionKey = PartitionKey(source.Name),
            RowKey = RowKey(source.Version, ImportRow),
            BlobName = source.Name,
            BlobETag = source.Version.ToString(),
            Status = ImportStatus.InProgress,
            Attempts = 1,
            ClaimedBy = holder,
            ClaimExpiresAt = time.GetUtcNow() + options.Value.ClaimDuration,
        };
        try
        {
            var added = await table.AddEntityAsync(row, cancellationToken);
            row.ETag = added.Headers.ETag ?? ETag.All;
            return new ClaimResult.Claimed(new ImportClaim(row, takenOver: false));
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Known before: final, held by a live run, or free to take over.
        }

        var found = await table.GetEntityIfExistsAsync<LedgerEntry>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            throw new ImportClaimedElsewhereException($"The ledger row of {source.Name} version {source.Version} was removed while claiming it (a re-import?); try again.");
        }

        var existing = found.Value!;
        if (ImportStatus.IsFinal(existing.Status))
        {
            return new ClaimResult.Final(existing);
        }

        var now = time.GetUtcNow();
        if (existing.ClaimedBy is { } other && existing.ClaimExpiresAt > now)
        {
            return new ClaimResult.HeldElsewhere(other, existing.ClaimExpiresAt);
        }

        var takenOver = existing.ClaimedBy is not null;
        existing.Status = ImportStatus.InProgress;
        existing.Attempts++;
        existing.ClaimedBy = holder;
        existing.ClaimExpiresAt = now + options.Value.ClaimDuration;
        try
        {
            var updated = await table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken);
            existing.ETag = updated.Headers.ETag ?? ETag.All;
            return new ClaimResult.Claimed(new ImportClaim(existing, takenOver));
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return new ClaimResult.HeldElsewhere(null, null); // another run got there first
        }
    }

    /// <summary>Extends the claim when less than <paramref name="needed"/> of it is left.</summary>
    public Task RenewIfNeededAsync(ImportClaim claim, TimeSpan needed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = time.GetUtcNow();
        return claim.ExpiresAt - now >= needed
            ? Task.CompletedTask
            : WriteImportRowAsync(claim, r => r.ClaimExpiresAt = now + options.Value.ClaimDuration, cancellationToken);
    }

    /// <summary>Gives the claim up without an ending (the run failed unexpectedly): the next run may claim it at once.</summary>
    public Task ReleaseAsync(ImportClaim claim, CancellationToken cancellationToken) =>
        WriteImportRowAsync(claim, r => (r.ClaimedBy, r.ClaimExpiresAt) = (null, null), cancellationToken);

    /// <summary>From now on the file is sent in parts of at most <paramref name="limit"/> bytes (kept for a run that resumes it).</summary>
    public Task SplitAsync(ImportClaim claim, long limit, CancellationToken cancellationToken) =>
        WriteImportRowAsync(claim, r => r.PartLimit = limit, cancellationToken);

    /// <summary>Dragonfruit stayed unavailable: the claim is given up so that the next trigger can run at once.</summary>
    public Task RetryingAsync(ImportClaim claim, string? reportBlob, CancellationToken cancellationToken) =>
        WriteImportRowAsync(claim, r => (r.Status, r.ReportBlob, r.ClaimedBy, r.ClaimExpiresAt) = (ImportStatus.Retrying, reportBlob, null, null), cancellationToken);

    /// <summary>The import ended (<paramref name="status"/>, final or not); the claim is given up.</summary>
    public Task FinishAsync(ImportClaim claim, string status, string? reportBlob, int? partnerStatus, string? partnerRequestId, CancellationToken cancellationToken) =>
        WriteImportRowAsync(
            claim,
            r => (r.Status, r.ReportBlob, r.PartnerStatus, r.PartnerRequestId, r.ClaimedBy, r.ClaimExpiresAt) = (status, reportBlob, partnerStatus, partnerRequestId, null, null),
            cancellationToken);

    /// <summary>An upload's body is about to end: from now on Dragonfruit may have all of it (one write, no read).</summary>
    public async Task UploadAwaitingAnswerAsync(ImportSource source, UploadFacts upload, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(upload);
        var row = new TableEntity(PartitionKey(source.Name), RowKey(source.Version, upload.Key))
        {
            [nameof(LedgerEntry.BlobName)] = source.Name,
            [nameof(LedgerEntry.BlobETag)] = source.Version.ToString(),
            [nameof(LedgerEntry.Status)] = PartStatus.AwaitingAnswer,
            [nameof(LedgerEntry.BodySentAt)] = at,
            [nameof(LedgerEntry.Part)] = upload.Index,
            [nameof(LedgerEntry.Start)] = upload.Start,
            [nameof(LedgerEntry.Length)] = upload.Length,
            [nameof(LedgerEntry.FirstRow)] = upload.FirstRow,
            [nameof(LedgerEntry.RowCount)] = upload.RowCount,
            [nameof(LedgerEntry.Bytes)] = upload.Bytes,
        };
        await (await TableAsync(cancellationToken)).UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>An answer that is not a success came back for an upload whose body went out: it certainly did not import.</summary>
    public async Task UploadAnsweredAsync(ImportSource source, string key, int status, string? requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var row = new TableEntity(PartitionKey(source.Name), RowKey(source.Version, key))
        {
            [nameof(LedgerEntry.Status)] = PartStatus.Answered,
            [nameof(LedgerEntry.PartnerStatus)] = status,
            [nameof(LedgerEntry.PartnerRequestId)] = requestId,
        };
        await (await TableAsync(cancellationToken)).UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Dragonfruit accepted a part of a split file: a small row (its errors live in <paramref name="rowErrorsBlob"/>).</summary>
    public async Task PartSentAsync(ImportSource source, UploadFacts upload, int status, string? requestId, int rowErrors, string? rowErrorsBlob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(upload);
        var row = new LedgerEntry
        {
            PartitionKey = PartitionKey(source.Name),
            RowKey = RowKey(source.Version, upload.Key),
            BlobName = source.Name,
            BlobETag = source.Version.ToString(),
            Status = PartStatus.Sent,
            Part = upload.Index,
            Start = upload.Start,
            Length = upload.Length,
            FirstRow = upload.FirstRow,
            RowCount = upload.RowCount,
            Bytes = upload.Bytes,
            PartnerStatus = status,
            PartnerRequestId = requestId,
            RowErrorCount = rowErrors,
            RowErrorsBlob = rowErrorsBlob,
        };
        await (await TableAsync(cancellationToken)).UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The upload rows of a blob version (whole file and parts), in order of their bytes.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> UploadsAsync(string blobName, ETag blobETag, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var prefix = RowKey(blobETag, "");
        var partition = PartitionKey(blobName);
        var found = new List<LedgerEntry>();
        await foreach (var entry in table.QueryAsync<LedgerEntry>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (entry.RowKey.StartsWith(prefix, StringComparison.Ordinal) && !entry.RowKey.EndsWith($"|{ImportRow}", StringComparison.Ordinal))
            {
                found.Add(entry);
            }
        }

        return [.. found.OrderBy(e => e.Start ?? -1)];
    }

    public async Task<LedgerEntry?> GetImportAsync(string blobName, ETag blobETag, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<LedgerEntry>(PartitionKey(blobName), RowKey(blobETag, ImportRow), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Every import row (one per blob version), for operators; uploads are left out.</summary>
    public IAsyncEnumerable<LedgerEntry> ImportsAsync(CancellationToken cancellationToken) => ImportsAsync([], null, cancellationToken);

    /// <summary>
    /// Import rows with one of <paramref name="statuses"/> (all when empty), written since <paramref name="since"/>:
    /// both filtered by the table service (upload rows never carry an import status), so a listing of the few drops
    /// that need a look does not bring the whole ledger over the wire.
    /// </summary>
    public async IAsyncEnumerable<LedgerEntry> ImportsAsync(
        IReadOnlyCollection<string> statuses, DateTimeOffset? since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var clauses = new List<string>();
        if (statuses.Count > 0)
        {
            clauses.Add("(" + string.Join(" or ", statuses.Select(status => TableClient.CreateQueryFilter($"Status eq {status}"))) + ")");
        }

        if (since is { } from)
        {
            clauses.Add(TableClient.CreateQueryFilter($"Timestamp ge {from}"));
        }

        var table = await TableAsync(cancellationToken);
        await foreach (var entry in table.QueryAsync<LedgerEntry>(clauses.Count == 0 ? null : string.Join(" and ", clauses), cancellationToken: cancellationToken))
        {
            if (entry.RowKey.EndsWith($"|{ImportRow}", StringComparison.Ordinal))
            {
                yield return entry;
            }
        }
    }

    /// <summary>Forgets a blob version (its import row and uploads), so the next run imports it afresh: an explicit re-import.</summary>
    /// <returns>How many rows were removed.</returns>
    public async Task<int> ForgetAsync(string blobName, ETag blobETag, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var prefix = RowKey(blobETag, "");
        var removed = 0;
        await foreach (var entry in table.QueryAsync<LedgerEntry>(e => e.PartitionKey == PartitionKey(blobName), cancellationToken: cancellationToken))
        {
            if (entry.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                await table.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, ETag.All, cancellationToken);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>The upload of a blob version whose body went out in full without an answer coming back, if any.</summary>
    public async Task<LedgerEntry?> PendingUploadAsync(string blobName, ETag blobETag, CancellationToken cancellationToken) =>
        (await UploadsAsync(blobName, blobETag, cancellationToken)).FirstOrDefault(e => e.Status == PartStatus.AwaitingAnswer);

    /// <summary>
    /// Settles a lost answer with what an operator found in Dragonfruit: the upload arrived (kept as sent, row errors
    /// unknown) or it did not (sent again on the next run). The import is then no longer final, so the next run goes on.
    /// </summary>
    public async Task ResolvePendingAsync(LedgerEntry pending, bool arrived, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var table = await TableAsync(cancellationToken);
        pending.Status = arrived ? PartStatus.Sent : PartStatus.Lost;
        pending.Note = note;
        await table.UpdateEntityAsync(pending, pending.ETag, TableUpdateMode.Replace, cancellationToken);
        var import = await table.GetEntityAsync<LedgerEntry>(pending.PartitionKey, RowKey(new ETag(pending.BlobETag), ImportRow), cancellationToken: cancellationToken);
        import.Value.Status = ImportStatus.InProgress;
        import.Value.ClaimedBy = null;
        import.Value.ClaimExpiresAt = null;
        await table.UpdateEntityAsync(import.Value, import.Value.ETag, TableUpdateMode.Replace, cancellationToken);
    }

    private async Task WriteImportRowAsync(ImportClaim claim, Action<LedgerEntry> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var row = claim.Row;
        change(row);
        try
        {
            var written = await (await TableAsync(cancellationToken)).UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = written.Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new ImportClaimLostException($"Another run took {row.BlobName} version {row.BlobETag} over (this run's claim had expired); this run stops.", e);
        }
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken).AsTask();

    /// <summary>Table keys may not hold '/', so the blob name is hashed; the name itself is a column.</summary>
    private static string PartitionKey(string blobName) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)));

    private static string RowKey(ETag blobETag, string row) => $"{blobETag.ToString().Trim('"')}|{row}";
}

/// <summary>One upload as the ledger records it: <see cref="Key"/> is its row (<c>whole</c>, or <c>part-</c> and its start offset).</summary>
public sealed record UploadFacts(string Key, int Index, long? Start, long? Length, long FirstRow, long RowCount, long Bytes)
{
    public static string PartKey(long start) => FormattableString.Invariant($"part-{start:D15}");
}
