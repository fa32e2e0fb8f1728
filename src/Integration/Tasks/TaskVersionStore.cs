using Azure;
using Azure.Data.Tables;
using Integration.Tasks.Messages;
using Integration.Storage;
using Microsoft.Extensions.Options;

namespace Integration.Tasks;

/// <summary>A task's row in the version table, as operators see it.</summary>
public sealed record TaskVersionState(TaskVersion Applied, DateTimeOffset? AppliedAt, TaskVersion HighWaterMark, string? ClaimedBy, DateTimeOffset? ClaimedUntil)
{
    internal static TaskVersionState Of(TaskVersionEntity entity) => new(
        new TaskVersion(entity.AppliedVersionNumber, entity.AppliedUpdatedAt),
        entity.AppliedAt,
        new TaskVersion(entity.ClaimedVersionNumber, entity.ClaimedUpdatedAt),
        entity.ClaimedBy,
        entity.ClaimedUntil);
}

/// <summary>What <see cref="TaskVersionStore.TryClaimAsync"/> found.</summary>
public abstract record TaskClaim
{
    private TaskClaim()
    {
    }

    /// <summary>This handler may send; the lease records, gives back or releases the claim (on dispose at the latest).</summary>
    public sealed record Claimed(TaskClaimLease Lease) : TaskClaim;

    /// <summary>A version at least as new was already applied.</summary>
    public sealed record Stale(TaskVersion Applied) : TaskClaim;

    /// <summary>Another handler is sending a version of this task until <paramref name="Until"/>.</summary>
    public sealed record Busy(DateTimeOffset Until) : TaskClaim;

    /// <summary>The applied version and this one are of different kinds (number vs timestamp) and cannot be ordered.</summary>
    public sealed record Incomparable(TaskVersion Applied) : TaskClaim;
}

/// <summary>
/// The stale guard, in Azure Table storage with ETag compare-and-swap: one row per task holding the last applied
/// version and a short claim, so two versions of one task are never sent at once and an older one never lands last.
/// </summary>
public sealed class TaskVersionStore(TableServiceClient tables, IOptions<TasksOptions> options, TimeProvider time)
{
    private const string Partition = "task";
    private readonly LazyTable _table = new(tables, () => options.Value.VersionTable);

    /// <param name="allowEqual">A re-sync: the version already applied may be sent again (an older one still may not).</param>
    public async Task<TaskClaim> TryClaimAsync(Guid uid, TaskVersion version, bool allowEqual, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var owner = Guid.NewGuid().ToString("N");
        while (true)
        {
            var found = await table.GetEntityIfExistsAsync<TaskVersionEntity>(Partition, Key(uid), cancellationToken: cancellationToken);
            var entity = found.HasValue ? found.Value! : new TaskVersionEntity { PartitionKey = Partition, RowKey = Key(uid) };
            var applied = new TaskVersion(entity.AppliedVersionNumber, entity.AppliedUpdatedAt);
            if (applied != default)
            {
                switch (version.TryCompare(applied))
                {
                    case null:
                        return new TaskClaim.Incomparable(applied);
                    case < 0:
                    case 0 when !allowEqual:
                        return new TaskClaim.Stale(applied);
                }
            }

            // Older than a version already claimed: that one may have been applied by a handler that died before
            // recording it (its message comes back and is sent again), so this one must never land after it.
            var claimedBefore = new TaskVersion(entity.ClaimedVersionNumber, entity.ClaimedUpdatedAt);
            var newerThanClaimed = claimedBefore == default || version.TryCompare(claimedBefore) is > 0;
            if (claimedBefore != default && version.TryCompare(claimedBefore) is < 0)
            {
                return new TaskClaim.Stale(claimedBefore);
            }

            var now = time.GetUtcNow();
            if (entity.ClaimedUntil is { } until && until > now)
            {
                return new TaskClaim.Busy(until);
            }

            (entity.ClaimedBy, entity.ClaimedUntil) = (owner, now + options.Value.ClaimDuration);
            if (newerThanClaimed)
            {
                (entity.ClaimedVersionNumber, entity.ClaimedUpdatedAt) = (version.Number, version.UpdatedAt);
            }

            if (await TryWriteAsync(table, entity, found.HasValue, cancellationToken))
            {
                return new TaskClaim.Claimed(new TaskClaimLease(this, uid, version, owner, entity.ClaimedUntil!.Value, time));
            }
        }
    }

    /// <summary>Records <paramref name="version"/> as applied (never moving backwards) and releases the claim.</summary>
    public Task RecordAsync(Guid uid, TaskVersion version, string owner, CancellationToken cancellationToken) =>
        UpdateAsync(uid, owner, entity =>
        {
            var applied = new TaskVersion(entity.AppliedVersionNumber, entity.AppliedUpdatedAt);
            if (applied == default || version.TryCompare(applied) > 0)
            {
                (entity.AppliedVersionNumber, entity.AppliedUpdatedAt, entity.AppliedAt) = (version.Number, version.UpdatedAt, time.GetUtcNow());
            }
        }, cancellationToken);

    public Task ReleaseAsync(Guid uid, string owner, CancellationToken cancellationToken) => UpdateAsync(uid, owner, _ => { }, cancellationToken);

    /// <summary>
    /// Fragment definitively refused <paramref name="version"/> (400/422, or the 4xx it was dead-lettered for): it was
    /// never applied, so it stops being the high-water mark. The claimed version goes back to what Fragment last applied,
    /// so that a later, lower version is sent; then the claim is released.
    /// </summary>
    public Task GiveBackAsync(Guid uid, TaskVersion version, string owner, CancellationToken cancellationToken) =>
        UpdateAsync(uid, owner, entity =>
        {
            if (new TaskVersion(entity.ClaimedVersionNumber, entity.ClaimedUpdatedAt).TryCompare(version) == 0)
            {
                (entity.ClaimedVersionNumber, entity.ClaimedUpdatedAt) = (entity.AppliedVersionNumber, entity.AppliedUpdatedAt);
            }
        }, cancellationToken);

    /// <summary>Extends <paramref name="owner"/>'s claim by the claim duration from now; null when it no longer holds it.</summary>
    public async Task<DateTimeOffset?> RenewAsync(Guid uid, string owner, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        while (true)
        {
            var found = await table.GetEntityIfExistsAsync<TaskVersionEntity>(Partition, Key(uid), cancellationToken: cancellationToken);
            if (!found.HasValue || found.Value!.ClaimedBy != owner)
            {
                return null;
            }

            var entity = found.Value;
            entity.ClaimedUntil = time.GetUtcNow() + options.Value.ClaimDuration;
            if (await TryWriteAsync(table, entity, exists: true, cancellationToken))
            {
                return entity.ClaimedUntil;
            }
        }
    }

    /// <summary>The task's row as it stands (null when there is none): what <see cref="ResetAsync"/> would clear.</summary>
    public async Task<TaskVersionState?> GetAsync(Guid uid, CancellationToken cancellationToken)
    {
        var found = await (await TableAsync(cancellationToken)).GetEntityIfExistsAsync<TaskVersionEntity>(Partition, Key(uid), cancellationToken: cancellationToken);
        return found.HasValue ? TaskVersionState.Of(found.Value!) : null;
    }

    /// <summary>
    /// Clears the task's row (applied version, high-water mark and claim): the next message of the task is sent whatever
    /// its version. Returns what was cleared, or null when there was no row. For operators (audited by the caller).
    /// </summary>
    public async Task<TaskVersionState?> ResetAsync(Guid uid, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TaskVersionEntity>(Partition, Key(uid), cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        await table.DeleteEntityAsync(Partition, Key(uid), ETag.All, cancellationToken);
        return TaskVersionState.Of(found.Value!);
    }

    private async Task UpdateAsync(Guid uid, string owner, Action<TaskVersionEntity> change, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        while (true)
        {
            // An operator may have reset the task meanwhile (the row is gone): a release has nothing left to do, a record starts a new row.
            var found = await table.GetEntityIfExistsAsync<TaskVersionEntity>(Partition, Key(uid), cancellationToken: cancellationToken);
            var entity = found.HasValue ? found.Value! : new TaskVersionEntity { PartitionKey = Partition, RowKey = Key(uid) };
            change(entity);
            if (entity.ClaimedBy == owner)
            {
                (entity.ClaimedBy, entity.ClaimedUntil) = (null, null);
            }

            if (!found.HasValue && entity.AppliedVersionNumber is null && entity.AppliedUpdatedAt is null)
            {
                return;
            }

            if (await TryWriteAsync(table, entity, found.HasValue, cancellationToken))
            {
                return;
            }
        }
    }

    private static async Task<bool> TryWriteAsync(TableClient table, TaskVersionEntity entity, bool exists, CancellationToken cancellationToken)
    {
        try
        {
            if (exists)
            {
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false; // another handler wrote first: read again
        }
    }

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken).AsTask();

    private static string Key(Guid uid) => uid.ToString("D");
}
