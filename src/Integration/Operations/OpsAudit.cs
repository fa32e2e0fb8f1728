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

    /// <summary>The outcome of an audit row whose operation has not finished: one that keeps it after the run ended died mid-run.</summary>
    public const string Started = "started (never finished, if it still says so after the run)";

    /// <summary>
    /// Writes the row before the operation changes anything, so a process that dies mid-run still leaves who started
    /// what; <see cref="CompleteAsync"/> then fills in the counts and the outcome.
    /// </summary>
    public Task<OpsAuditEntry> StartAsync(string actor, string operation, bool dryRun, object filters, CancellationToken cancellationToken) =>
        RecordAsync(actor, operation, dryRun, filters, new { }, Started, cancellationToken);

    public async Task CompleteAsync(OpsAuditEntry entry, object counts, string outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Counts = JsonSerializer.Serialize(counts);
        entry.Outcome = outcome;
        await (await _table.GetAsync(cancellationToken)).UpdateEntityAsync(entry, Azure.ETag.All, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>One row for an operation that is over as soon as it is recorded (e.g. refused before it started).</summary>
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
            if (row.At >= since && !ResyncPlanStore.IsPlanRow(row.RowKey))
            {
                yield return row;
            }
        }
    }
}
