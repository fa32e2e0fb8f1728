using Integration.Imports;
using Integration.Operations;
using Integration.Tests.Fixtures;
using Integration.Tests.Imports;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Operations;

public sealed class ImportOperationsTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    private ImportOperations Operations => App.Services.GetRequiredService<ImportOperations>();

    [Fact]
    public async Task Listing_shows_failed_and_rejected_imports_by_default_and_every_import_on_request()
    {
        await ImportAsync(await DropAsync("42/sites/good.csv", Csv(3)));
        await ImportAsync(await DropAsync("42/sites/empty.csv", ""));
        Sandbox.Faults.Enqueue(Import, Integration.Sandbox.Fault.WithStatus(400, body: """{"success":false}"""));
        await ImportAsync(await DropAsync("42/sites/refused.csv", Csv(2)));

        var problems = await Operations.ListAsync(ImportOperations.ProblemStatuses, since: null, CancellationToken.None);
        var all = await Operations.ListAsync([], since: null, CancellationToken.None);

        Assert.Equal(["42/sites/empty.csv", "42/sites/refused.csv"], problems.Select(i => i.Blob).Order());
        Assert.Equal(ImportStatus.Rejected, problems.Single(i => i.Blob.EndsWith("empty.csv", StringComparison.Ordinal)).Status);
        Assert.Equal(400, problems.Single(i => i.Blob.EndsWith("refused.csv", StringComparison.Ordinal)).PartnerStatus);
        Assert.Equal(3, all.Count);
        Assert.All(all, i => Assert.NotNull(i.ReportBlob));
        Assert.Empty(await Operations.ListAsync([], App.Clock.GetUtcNow().AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task Reimport_sends_a_file_the_ledger_marks_done_once_more_and_is_audited()
    {
        var blob = await DropAsync("42/sites/again.csv", Csv(4));
        await ImportAsync(blob);
        Assert.True((await ImportAsync(blob)).AlreadyImported);

        var outcome = await Operations.ReimportAsync(blob.Name, "ops-test", CancellationToken.None);

        Assert.Equal(ImportStatus.Succeeded, outcome.Status);
        Assert.False(outcome.AlreadyImported);
        Assert.Equal(2, Sandbox.Imports.Count);
        Assert.True((await ImportAsync(blob)).AlreadyImported, "a re-import is itself recorded: the trigger firing again sends nothing");
        var audit = Assert.Single(await App.Services.GetRequiredService<OpsAudit>().SinceAsync(App.Clock.GetUtcNow().AddHours(-1), CancellationToken.None).ToListAsync());
        Assert.Equal(("ops-test", "imports.reimport", "completed: succeeded"), (audit.Actor, audit.Operation, audit.Outcome));
        Assert.Contains("42/sites/again.csv", audit.Filters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_that_the_partner_keeps_failing_is_audited_as_failed_with_the_reason()
    {
        await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?> { ["Imports:MaxRetryAttempts"] = "0" });
        var blob = await DropAsync("42/sites/down.csv", Csv(2));
        Sandbox.Faults.Enqueue(Import, Integration.Sandbox.Fault.WithStatus(503));

        await Assert.ThrowsAsync<ImportRetryException>(() => app.Services.GetRequiredService<ImportOperations>().ReimportAsync(blob.Name, "ops-test", CancellationToken.None));

        var audit = Assert.Single(await app.Services.GetRequiredService<OpsAudit>().SinceAsync(app.Clock.GetUtcNow().AddHours(-1), CancellationToken.None).ToListAsync());
        Assert.Equal("imports.reimport", audit.Operation);
        Assert.StartsWith("failed: Dragonfruit stayed unavailable for 42/sites/down.csv", audit.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimport_of_a_blob_that_does_not_exist_says_so_and_is_audited_as_failed()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Operations.ReimportAsync("42/sites/missing.csv", "ops-test", CancellationToken.None));

        Assert.Contains("42/sites/missing.csv", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(0, Sandbox.Calls.Count(Import));
        var audit = Assert.Single(await App.Services.GetRequiredService<OpsAudit>().SinceAsync(App.Clock.GetUtcNow().AddHours(-1), CancellationToken.None).ToListAsync());
        Assert.StartsWith("failed", audit.Outcome, StringComparison.Ordinal);
    }
}
