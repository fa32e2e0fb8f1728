using System.Globalization;
using Azure.Data.Tables;
using Integration.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Operations;

/// <summary>
/// Deletes request-log and audit rows older than <see cref="OperationsOptions.RetentionDays"/>. Both tables are
/// partitioned by UTC time (hour and day), so whole old partitions are found by key and deleted in batches of 100.
/// Scheduled by the flat app setting <c>OpsRetentionSchedule</c>.
/// </summary>
public sealed partial class OpsRetention(
    TableServiceClient tables,
    IOptions<OperationsOptions> operations,
    IOptions<TasksOptions> tasks,
    TimeProvider time,
    ILogger<OpsRetention> logger)
{
    private const int BatchSize = 100;

    /// <returns>Rows deleted from the request log and from the audit table.</returns>
    public async Task<(int RequestLog, int Audit)> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-operations.Value.RetentionDays);
        var requests = await PruneAsync(tasks.Value.RequestLogTable, cutoff.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), cancellationToken);
        var audit = await PruneAsync(operations.Value.AuditTable, cutoff.ToString("yyyyMMdd", CultureInfo.InvariantCulture), cancellationToken);
        LogPruned(requests, audit, operations.Value.RetentionDays);
        return (requests, audit);
    }

    private async Task<int> PruneAsync(string tableName, string olderThanPartition, CancellationToken cancellationToken)
    {
        var table = tables.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync(cancellationToken);
        var deleted = 0;
        var batch = new List<TableTransactionAction>();
        string? partition = null;
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo(olderThanPartition) < 0, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (batch.Count == BatchSize || (partition is not null && row.PartitionKey != partition))
            {
                deleted += await SubmitAsync(table, batch, cancellationToken);
            }

            partition = row.PartitionKey;
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, Azure.ETag.All));
        }

        return deleted + await SubmitAsync(table, batch, cancellationToken);
    }

    private static async Task<int> SubmitAsync(TableClient table, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        await table.SubmitTransactionAsync(batch, cancellationToken);
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {RequestLogRows} request-log and {AuditRows} audit rows older than {RetentionDays} days")]
    private partial void LogPruned(int requestLogRows, int auditRows, int retentionDays);
}
