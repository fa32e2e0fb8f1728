using Integration.Imports;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Imports;

/// <summary>The sweep for drops whose event never came: a missed event still ends in an import.</summary>
public sealed class ImportReconcilerTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    [Fact]
    public async Task Drops_older_than_ReconcileAfter_without_a_final_import_are_imported_once_and_others_left_alone()
    {
        var missed = await DropAsync("42/sites/missed-event.csv", Csv(3)); // its event never came
        var done = await DropAsync("42/sites/done.csv", Csv(2));
        await ImportAsync(done);
        var reconciler = App.Services.GetRequiredService<ImportReconciler>();

        var early = await reconciler.RunAsync(CancellationToken.None); // both dropped just now: too recent, its event may still come
        App.Clock.Advance(new ImportsOptions().ReconcileAfter + TimeSpan.FromMinutes(1));
        var swept = await reconciler.RunAsync(CancellationToken.None);
        var again = await reconciler.RunAsync(CancellationToken.None);

        Assert.Equal((2, 2, 0), (early.Seen, early.TooRecent, early.Imported));
        Assert.Equal((2, 1, 1), (swept.Seen, swept.Settled, swept.Imported));
        Assert.Equal(0, again.Imported);
        Assert.Equal(2, Sandbox.Imports.Count); // done.csv once (by its trigger), missed-event.csv once (by the sweep)
        Assert.Equal("succeeded", (await ReportAsync(missed.Name)).GetProperty("status").GetString());
    }
}
