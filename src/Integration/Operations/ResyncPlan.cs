using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Integration.Storage;
using Microsoft.Extensions.Options;

namespace Integration.Operations;

/// <summary>One task a re-sync still has to send: the request-log row holding its latest accepted upsert.</summary>
public sealed record ResyncPlanEntry(string TaskUid, string PartitionKey, string RowKey);

/// <summary>
/// Where a sliced re-sync stands: its stored plan (next to the audit row of the slice that made it), how far it got, and
/// whether it was a dry run (a dry run's position only goes on as a dry run: its offset counts nothing sent).
/// </summary>
public sealed record ResyncPlanPosition(string AuditPartition, string AuditRow, int Offset, int Total, DateTimeOffset Since, bool DryRun)
{
    private const string Problem = "resume: not a position a re-sync answered (take the 'resume' of the previous call)";

    public string Encode() => OpsPaging.Encode(string.Join(
        '|', AuditPartition, AuditRow, Offset.ToString(CultureInfo.InvariantCulture), Total.ToString(CultureInfo.InvariantCulture), Since.UtcTicks.ToString(CultureInfo.InvariantCulture), DryRun ? "dry" : "send"));

    /// <summary>The position a <c>resume</c> text holds, or the problem with it.</summary>
    public static string? TryParse(string text, out ResyncPlanPosition? position)
    {
        position = null;
        if (OpsPaging.Cursor(text, out var decoded) is not null || decoded!.Split('|') is not [var partition, var row, var offset, var total, var since, var mode and ("dry" or "send")])
        {
            return Problem;
        }

        if (partition.Length != 8 || !partition.All(char.IsAsciiDigit) || row.Length != 52 || !row.All(c => char.IsAsciiHexDigit(c) || c == '-')
            || !int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var at) || !int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || at > count
            || !long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return Problem;
        }

        position = new ResyncPlanPosition(partition, row, at, count, new DateTimeOffset(ticks, TimeSpan.Zero), mode == "dry");
        return null;
    }
}

/// <summary>
/// The tasks left by a re-sync slice that ran out of time, so that the next slice sends them without reading the
/// request log again: rows beside the slice's audit row (same partition, so retention deletes them with it), a few
/// hundred entries each. The audit listing leaves them out (<see cref="IsPlanRow"/>).
/// </summary>
public sealed class ResyncPlanStore(TableServiceClient tables, IOptions<OperationsOptions> options)
{
    /// <summary>Entries per row: ~100 characters each keeps a row well inside a Table property's 32K characters.</summary>
    public const int EntriesPerRow = 250;

    private const string Marker = "-plan-";
    private readonly LazyTable _table = new(tables, () => options.Value.AuditTable);

    public static bool IsPlanRow(string rowKey) => rowKey.Contains(Marker, StringComparison.Ordinal);

    /// <summary>Stores <paramref name="entries"/> (the whole plan) beside <paramref name="audit"/>; the position of the first not sent.</summary>
    public async Task<ResyncPlanPosition> SaveAsync(OpsAuditEntry audit, IReadOnlyList<ResyncPlanEntry> entries, int done, DateTimeOffset since, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(entries);
        var table = await _table.GetAsync(cancellationToken);
        var chunks = entries.Chunk(EntriesPerRow).Select((chunk, i) => new TableEntity(audit.PartitionKey, PlanRow(audit.RowKey, i))
        {
            ["Entries"] = JsonSerializer.Serialize(chunk.Select(e => new[] { e.TaskUid, e.PartitionKey, e.RowKey })),
        });
        foreach (var batch in chunks.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), cancellationToken);
        }

        return new ResyncPlanPosition(audit.PartitionKey, audit.RowKey, done, entries.Count, since, dryRun);
    }

    /// <summary>The plan's entries from <paramref name="position"/> on, read one stored row at a time.</summary>
    public async IAsyncEnumerable<ResyncPlanEntry> ReadAsync(ResyncPlanPosition position, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(position);
        var table = await _table.GetAsync(cancellationToken);
        for (var chunk = position.Offset / EntriesPerRow; chunk * EntriesPerRow < position.Total; chunk++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(position.AuditPartition, PlanRow(position.AuditRow, chunk), cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                throw new InvalidOperationException($"The re-sync plan of {position.AuditRow} is gone (deleted by retention?): start a new re-sync with --since.");
            }

            var entries = JsonSerializer.Deserialize<string[][]>(row.Value!.GetString("Entries")) ?? [];
            foreach (var (entry, i) in entries.Select((e, i) => (e, (chunk * EntriesPerRow) + i)))
            {
                if (i >= position.Offset && entry is [var uid, var partition, var key])
                {
                    yield return new ResyncPlanEntry(uid, partition, key);
                }
            }
        }
    }

    private static string PlanRow(string auditRow, int chunk) => $"{auditRow}{Marker}{chunk.ToString("D6", CultureInfo.InvariantCulture)}";
}
