using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Integration.Storage;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// Which blob versions (name + ETag) and which of their parts were sent, in Azure Table storage, so a
/// trigger that fires twice or a host that restarts mid-import never sends the same bytes again.
/// </summary>
public sealed class ImportLedger(TableServiceClient tables, IOptions<ImportsOptions> options)
{
    public const string ImportRow = "import";
    private readonly LazyTable _table = new(tables, () => options.Value.LedgerTable);

    public async Task<LedgerEntry?> GetAsync(string blobName, ETag blobETag, string row, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<LedgerEntry>(PartitionKey(blobName), RowKey(blobETag, row), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    public async Task SaveAsync(string blobName, ETag blobETag, string row, Action<LedgerEntry> update, CancellationToken cancellationToken)
    {
        var entry = await GetAsync(blobName, blobETag, row, cancellationToken) ?? new LedgerEntry
        {
            PartitionKey = PartitionKey(blobName),
            RowKey = RowKey(blobETag, row),
            BlobName = blobName,
            BlobETag = blobETag.ToString(),
        };
        update(entry);
        await (await TableAsync(cancellationToken)).UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Sets <paramref name="values"/> on a row (creating it if missing) in one round trip, without reading it first:
    /// for writes on the import path, where every call counts. Columns not named keep their values.
    /// </summary>
    public async Task MergeAsync(string blobName, ETag blobETag, string row, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var entity = new TableEntity(PartitionKey(blobName), RowKey(blobETag, row))
        {
            [nameof(LedgerEntry.BlobName)] = blobName,
            [nameof(LedgerEntry.BlobETag)] = blobETag.ToString(),
        };
        foreach (var (key, value) in values)
        {
            entity[key] = value;
        }

        await (await TableAsync(cancellationToken)).UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Every import row (one per blob version), for operators; parts are left out.</summary>
    public async IAsyncEnumerable<LedgerEntry> ImportsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        await foreach (var entry in table.QueryAsync<LedgerEntry>(cancellationToken: cancellationToken))
        {
            if (entry.RowKey.EndsWith($"|{ImportRow}", StringComparison.Ordinal))
            {
                yield return entry;
            }
        }
    }

    /// <summary>Forgets a blob version (its import row and parts), so the next run imports it afresh: an explicit re-import.</summary>
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

    /// <summary>The part of a blob version whose body went out in full without an answer coming back, if any.</summary>
    public async Task<LedgerEntry?> PendingPartAsync(string blobName, ETag blobETag, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var prefix = RowKey(blobETag, "part-");
        await foreach (var entry in table.QueryAsync<LedgerEntry>(e => e.PartitionKey == PartitionKey(blobName), cancellationToken: cancellationToken))
        {
            if (entry.RowKey.StartsWith(prefix, StringComparison.Ordinal) && entry.Status == UploadJournal.AwaitingAnswer)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>
    /// Settles a lost answer with what an operator found in Dragonfruit: the part arrived (kept as sent, row errors unknown)
    /// or it did not (sent again on the next run). The import itself is then no longer final, so the next run goes on.
    /// </summary>
    public async Task ResolvePendingAsync(LedgerEntry pending, bool arrived, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var etag = new ETag(pending.BlobETag);
        var part = PartOf(pending);
        await SaveAsync(pending.BlobName, etag, PartRow(part), e =>
        {
            e.Status = arrived ? UploadJournal.Sent : UploadJournal.Lost;
            e.Detail = arrived
                ? System.Text.Json.JsonSerializer.Serialize(new SentPart(new PartReport(part, e.FirstRow ?? 0, e.RowCount ?? 0, e.Bytes ?? 0, null, null, 0, null, note), []))
                : note;
        }, cancellationToken);
        await SaveAsync(pending.BlobName, etag, ImportRow, e => e.Status = "in_progress", cancellationToken);
    }

    public static string PartRow(int part) => $"part-{part:D5}";

    /// <summary>The part number of a part row (see <see cref="PartRow"/>).</summary>
    public static int PartOf(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return int.Parse(entry.RowKey[(entry.RowKey.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken).AsTask();

    /// <summary>Table keys may not hold '/', so the blob name is hashed; the name itself is a column.</summary>
    private static string PartitionKey(string blobName) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)));

    private static string RowKey(ETag blobETag, string row) => $"{blobETag.ToString().Trim('"')}|{row}";
}
