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

    public static string PartRow(int part) => $"part-{part:D5}";

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken).AsTask();

    /// <summary>Table keys may not hold '/', so the blob name is hashed; the name itself is a column.</summary>
    private static string PartitionKey(string blobName) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)));

    private static string RowKey(ETag blobETag, string row) => $"{blobETag.ToString().Trim('"')}|{row}";
}
