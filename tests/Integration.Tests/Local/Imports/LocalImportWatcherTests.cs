using Integration.Local.Imports;
using Integration.Tests.Fixtures;
using Integration.Tests.Imports;

namespace Integration.Tests.Local.Imports;

public sealed class LocalImportWatcherTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    [Fact]
    public async Task Local_run_imports_new_drops_once_and_picks_up_later_ones()
    {
        await DropAsync("42/sites/first.csv", Csv(3));
        await using var run = await StartAppAsync(Sandbox, services: s => s.AddLocalImportWatcher());
        await run.Logs.WaitForAsync(l => l.Message.StartsWith("Import of 42/sites/first.csv", StringComparison.Ordinal));
        await DropAsync("42/sites/second.csv", Csv(4));
        await run.Clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(5));
        await run.Logs.WaitForAsync(l => l.Message.StartsWith("Import of 42/sites/second.csv", StringComparison.Ordinal));
        await run.Clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(5), count: 2);
        await run.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(5), count: 3); // a third pass has listed both again

        Assert.Equal(2, Sandbox.Imports.Count);
        Assert.Equal([3, 4], Sandbox.Imports.Select(i => i.Sheets["sites"].Records - 1));
    }
}
