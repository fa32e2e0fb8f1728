using Azure.Data.Tables;
using Integration.Tasks;
using Integration.Tasks.Messages;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace Integration.Tests.Tasks;

/// <summary>The stale guard's table, as handlers on several instances (and handlers that die) use it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TaskVersionStoreTests(AzuriteFixture azurite)
{
    private static readonly Guid Uid = Guid.Parse("c6951f29-e70d-04c9-3733-50f90b248db2");
    private readonly TestClock _clock = new();

    [Fact]
    public async Task A_handler_that_dies_after_sending_leaves_older_versions_obsolete_but_lets_its_own_come_back()
    {
        var store = Store();
        var v3 = Assert.IsType<TaskClaim.Claimed>(await store.TryClaimAsync(Uid, Version(3), allowEqual: false, CancellationToken.None));
        // ... the PUT of v3 reaches Fragment, then the process dies: nothing recorded, nothing released.
        _clock.Advance(TimeSpan.FromMinutes(2)); // the claim runs out

        var v1 = await store.TryClaimAsync(Uid, Version(1), allowEqual: false, CancellationToken.None);
        var v3Again = await store.TryClaimAsync(Uid, Version(3), allowEqual: false, CancellationToken.None);

        Assert.Equal(Version(3), Assert.IsType<TaskClaim.Stale>(v1).Applied); // never lands after v3
        var claimed = Assert.IsType<TaskClaim.Claimed>(v3Again); // v3's own message, delivered again, is sent again
        Assert.NotEqual(v3.Lease.Owner, claimed.Lease.Owner);
        await claimed.Lease.RecordAsync(CancellationToken.None);
        Assert.IsType<TaskClaim.Stale>(await store.TryClaimAsync(Uid, Version(3), allowEqual: false, CancellationToken.None));
        Assert.IsType<TaskClaim.Claimed>(await store.TryClaimAsync(Uid, Version(4), allowEqual: false, CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_is_released_on_dispose_unless_recorded_and_a_recorded_one_is_not_released_again()
    {
        var store = Store();

        await using (Assert.IsType<TaskClaim.Claimed>(await store.TryClaimAsync(Uid, Version(1), allowEqual: false, CancellationToken.None)).Lease)
        {
            // a branch that forgets to settle the claim: disposing releases it
        }

        var next = await store.TryClaimAsync(Uid, Version(2), allowEqual: false, CancellationToken.None);
        var lease = Assert.IsType<TaskClaim.Claimed>(next).Lease;
        await lease.RecordAsync(CancellationToken.None);
        await lease.DisposeAsync();

        Assert.Null((await store.GetAsync(Uid, CancellationToken.None))!.ClaimedBy);
        Assert.Equal(Version(2), (await store.GetAsync(Uid, CancellationToken.None))!.Applied);
        Assert.False(await lease.RenewAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_is_renewed_while_a_send_waits_and_lost_once_another_handler_took_the_expired_claim()
    {
        var store = Store();
        var lease = Assert.IsType<TaskClaim.Claimed>(await store.TryClaimAsync(Uid, Version(1), allowEqual: false, CancellationToken.None)).Lease;
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var sending = lease.RenewWhileAsync(answer.Task, TimeSpan.FromSeconds(20), CancellationToken.None);
        for (var i = 0; i < 6; i++) // two minutes of a send waiting, twice the claim duration
        {
            await _clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(20), count: i + 1); // the renewal before it landed: the loop waits again only after it
        }

        var meanwhile = await store.TryClaimAsync(Uid, Version(2), allowEqual: false, CancellationToken.None);
        answer.SetResult(200);
        await sending;
        Assert.True(lease.IsHeld);
        Assert.IsType<TaskClaim.Busy>(meanwhile);

        _clock.Advance(TimeSpan.FromMinutes(2)); // no send waiting: the claim runs out
        var other = await store.TryClaimAsync(Uid, Version(2), allowEqual: false, CancellationToken.None);

        Assert.IsType<TaskClaim.Claimed>(other);
        Assert.False(lease.IsHeld);
        Assert.False(await lease.RenewAsync(CancellationToken.None));
    }

    private TaskVersionStore Store() => new(
        new TableServiceClient(azurite.ConnectionString),
        Options.Create(new TasksOptions { VersionTable = $"v{Guid.NewGuid():N}" }),
        _clock);

    private static TaskVersion Version(long number) => new(number, null);
}
