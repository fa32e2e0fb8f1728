using System.Globalization;
using Azure.Data.Tables;
using Integration.Storage;
using Microsoft.Extensions.Options;

namespace Integration.Tasks;

/// <summary>The durable request log Fragment recommends: one Table row per partner attempt, queryable by time.</summary>
public sealed class RequestLog(TableServiceClient tables, IOptions<TasksOptions> options)
{
    private readonly LazyTable _table = new(tables, () => options.Value.RequestLogTable);

    public async Task AddAsync(RequestLogEntity entry, CancellationToken cancellationToken)
    {
        entry.PartitionKey = entry.At.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        entry.RowKey = $"{entry.At.UtcTicks:D19}-{Guid.NewGuid():N}";
        await (await TableAsync(cancellationToken)).AddEntityAsync(entry, cancellationToken);
    }

    /// <summary>Attempts logged from <paramref name="since"/> on, oldest first.</summary>
    public async IAsyncEnumerable<RequestLogEntity> SinceAsync(DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = since.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var table = await TableAsync(cancellationToken);
        await foreach (var row in table.QueryAsync<RequestLogEntity>(e => e.PartitionKey.CompareTo(from) >= 0, cancellationToken: cancellationToken))
        {
            if (row.At >= since)
            {
                yield return row;
            }
        }
    }

    /// <summary>One logged attempt by its keys, or null when it is gone (retention).</summary>
    public async Task<RequestLogEntity?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var found = await (await TableAsync(cancellationToken)).GetEntityIfExistsAsync<RequestLogEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    /// <summary>
    /// Attempts logged from <paramref name="since"/> until before <paramref name="until"/>, oldest first, after the row
    /// <paramref name="afterRowKey"/> (a row key a previous read ended on): row keys start with the time in ticks, so
    /// the table service skips everything before it.
    /// </summary>
    public async IAsyncEnumerable<RequestLogEntity> BetweenAsync(
        DateTimeOffset since, DateTimeOffset? until, string? afterRowKey, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = since.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {from}");
        if (afterRowKey is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {afterRowKey}");
        }

        if (until is { } to)
        {
            filter += " and " + TableClient.CreateQueryFilter($"PartitionKey le {to.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}");
        }

        var table = await TableAsync(cancellationToken);
        await foreach (var row in table.QueryAsync<RequestLogEntity>(filter, cancellationToken: cancellationToken))
        {
            if (until is { } end && row.At >= end)
            {
                yield break;
            }

            if (row.At >= since)
            {
                yield return row;
            }
        }
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken).AsTask();
}
