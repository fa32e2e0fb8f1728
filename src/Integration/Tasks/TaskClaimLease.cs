using Integration.Tasks.Messages;

namespace Integration.Tasks;

/// <summary>
/// A handler's claim on a task (<see cref="TaskVersionStore.TryClaimAsync"/>) as one object: recorded when Fragment
/// applied the version, given back when Fragment refused it, released otherwise, and released on dispose unless one of
/// those already happened. <see cref="RenewWhileAsync{T}"/> keeps it alive while a send waits.
/// </summary>
public sealed class TaskClaimLease : IAsyncDisposable
{
    private readonly TaskVersionStore _store;
    private readonly TimeProvider _time;
    private bool _ended;
    private bool _lost;

    internal TaskClaimLease(TaskVersionStore store, Guid uid, TaskVersion version, string owner, DateTimeOffset until, TimeProvider time)
    {
        (_store, Uid, Version, Owner, Until, _time) = (store, uid, version, owner, until, time);
    }

    public Guid Uid { get; }
    public TaskVersion Version { get; }
    public string Owner { get; }

    /// <summary>Until when no other handler may claim the task (as this handler last wrote it).</summary>
    public DateTimeOffset Until { get; private set; }

    /// <summary>
    /// Still held: not ended, not expired, and no renewal found it gone (reset by an operator, or taken over): a send must
    /// not start on a claim that is not.
    /// </summary>
    public bool IsHeld => !_ended && !_lost && _time.GetUtcNow() < Until;

    /// <summary>Extends the claim by the claim duration from now; false when it was lost (expired and taken by another handler, or reset).</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }

        if (await _store.RenewAsync(Uid, Owner, cancellationToken) is not { } until)
        {
            _lost = true; // another handler or a reset has the task now, whatever time is left on ours
            return false;
        }

        Until = until;
        return true;
    }

    /// <summary>Runs <paramref name="sending"/>, renewing the claim every <paramref name="every"/> until it ends.</summary>
    public async Task<T> RenewWhileAsync<T>(Task<T> sending, TimeSpan every, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sending);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewLoopAsync([this], every, _time, stop.Token);
        try
        {
            return await sending;
        }
        finally
        {
            await stop.CancelAsync();
            await renewing;
        }
    }

    /// <summary>Renews every lease of <paramref name="leases"/> still held, every <paramref name="every"/>, until cancelled.</summary>
    internal static async Task RenewLoopAsync(IReadOnlyList<TaskClaimLease> leases, TimeSpan every, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, time, cancellationToken);
                foreach (var lease in leases.Where(l => !l._ended))
                {
                    await lease.RenewAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Fragment applied the version: it becomes the task's applied version; the claim ends.</summary>
    public Task RecordAsync(CancellationToken cancellationToken) => EndAsync(() => _store.RecordAsync(Uid, Version, Owner, cancellationToken));

    /// <summary>Fragment definitively refused the version: the high-water mark goes back (<see cref="TaskVersionStore.GiveBackAsync"/>); the claim ends.</summary>
    public Task GiveBackAsync(CancellationToken cancellationToken) => EndAsync(() => _store.GiveBackAsync(Uid, Version, Owner, cancellationToken));

    /// <summary>Nothing was applied (or may have been: the version stays the high-water mark); the claim ends.</summary>
    public Task ReleaseAsync(CancellationToken cancellationToken) => EndAsync(() => _store.ReleaseAsync(Uid, Owner, cancellationToken));

    public async ValueTask DisposeAsync()
    {
        if (!_ended)
        {
            await ReleaseAsync(CancellationToken.None);
        }
    }

    private async Task EndAsync(Func<Task> end)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        await end();
    }

    public override string ToString() => $"claim on task {Uid:D} {Version} until {Until:O}";
}
