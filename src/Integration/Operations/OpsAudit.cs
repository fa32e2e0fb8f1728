using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Integration.Storage;
using Microsoft.Extensions.Options;

namespace Integration.Operations;

/// <summary>The audit trail of operator actions, in Azure Table storage.</summary>
public sealed class OpsAudit(TableServiceClient tables, IOptions<OperationsOptions> options, TimeProvider time)
{
    private readonly LazyTable _table = new(tables, () => options.Value.AuditTable);

    public async Task<OpsAuditEntry> RecordAsync(string actor, string operation, bool dryRun, object filters, object counts, string outcome, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var entry = new OpsAuditEntry
        {
            PartitionKey = at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            RowKey = $"{at.UtcTicks:D19}-{Guid.NewGuid():N}",
            At = at,
            Actor = actor,
            Operation = operation,
            DryRun = dryRun,
            Filters = JsonSerializer.Serialize(filters),
            Counts = JsonSerializer.Serialize(counts),
            Outcome = outcome,
        };
        await (await _table.GetAsync(cancellationToken)).AddEntityAsync(entry, cancellationToken);
        return entry;
    }

    /// <summary>Audit rows from <paramref name="since"/> on, oldest first.</summary>
    public async IAsyncEnumerable<OpsAuditEntry> SinceAsync(DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = since.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var table = await _table.GetAsync(cancellationToken);
        await foreach (var row in table.QueryAsync<OpsAuditEntry>(e => e.PartitionKey.CompareTo(from) >= 0, cancellationToken: cancellationToken))
        {
            if (row.At >= since)
            {
                yield return row;
            }
        }
    }
}
