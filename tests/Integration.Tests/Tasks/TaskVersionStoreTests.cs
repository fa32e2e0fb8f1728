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
        Assert.NotEqual(v3.Owner, claimed.Owner);
        await store.RecordAsync(Uid, Version(3), claimed.Owner, CancellationToken.None);
        Assert.IsType<TaskClaim.Stale>(await store.TryClaimAsync(Uid, Version(3), allowEqual: false, CancellationToken.None));
        Assert.IsType<TaskClaim.Claimed>(await store.TryClaimAsync(Uid, Version(4), allowEqual: false, CancellationToken.None));
    }

    private TaskVersionStore Store() => new(
        new TableServiceClient(azurite.ConnectionString),
        Options.Create(new TasksOptions { VersionTable = $"v{Guid.NewGuid():N}" }),
        _clock);

    private static TaskVersion Version(long number) => new(number, null);
}
