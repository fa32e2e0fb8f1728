using Integration.Imports;
using Integration.Operations;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Imports;

/// <summary>Drops that cannot be finished automatically, and names from outside.</summary>
public sealed class ImportPoisonAndNamesTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>(base.AppSettings!)
    {
        ["Imports:MaxRetryAttempts"] = "0",
        ["Imports:MaxAttempts"] = "2",
    };

    [Fact]
    public async Task Dragonfruit_unavailable_in_every_allowed_run_ends_poisoned_not_retried_forever()
    {
        var blob = await DropAsync("42/sites/poison.csv", Csv(3));
        Sandbox.Faults.Enqueue(Import, Fault.WithStatus(503), Fault.WithStatus(503));

        await Assert.ThrowsAsync<ImportRetryException>(() => ImportAsync(blob));
        var firstReport = await ReportAsync(blob.Name);
        Assert.Equal("retrying", firstReport.GetProperty("status").GetString());
        Assert.True(firstReport.GetProperty("willBeRetried").GetBoolean());

        var last = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Poisoned, last.Status);
        var report = await ReportAsync(blob.Name);
        Assert.False(report.GetProperty("willBeRetried").GetBoolean());
        Assert.Equal("Poisoned", report.GetProperty("rejection").GetProperty("code").GetString());
        Assert.Contains(App.Logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.FullText.Contains("poisoned", StringComparison.Ordinal));
        Assert.True((await ImportAsync(blob)).AlreadyImported); // a trigger firing again sends nothing
        Assert.Equal(2, Sandbox.Calls.Count(Import));
        Assert.Contains(ImportStatus.Poisoned, (await App.Services.GetRequiredService<ImportOperations>().ListAsync(ImportOperations.ProblemStatuses, null, CancellationToken.None)).Select(i => i.Status));
    }

    [Fact]
    public async Task A_blob_deleted_before_its_run_ends_with_one_log_line_and_no_failure()
    {
        var blob = await DropAsync("42/sites/deleted.csv", Csv(2));
        await blob.DeleteAsync();

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Gone, outcome.Status);
        Assert.Single(App.Logs.Lines, l => l.FullText.Contains("no longer exists", StringComparison.Ordinal));
        Assert.Equal(0, Sandbox.Calls.Count(Import));
    }

    [Theory]
    [InlineData("../import-results/42/sites/x.csv")]
    [InlineData("42/sites/../../other/x.csv")]
    [InlineData("42/./sites/x.csv")]
    [InlineData("42/sites/a%2F..%2Fb.csv")]
    [InlineData("42\\sites\\x.csv")]
    [InlineData("42//sites/x.csv")]
    [InlineData("/42/sites/x.csv")]
    public async Task Reimport_and_resolve_refuse_a_name_outside_the_drop_contract_and_send_nothing(string name)
    {
        await DropAsync("42/sites/x.csv", Csv(2));
        var operations = App.Services.GetRequiredService<ImportOperations>();

        var reimport = await Assert.ThrowsAsync<InvalidBlobNameException>(() => operations.ReimportAsync(name, "ops-test", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidBlobNameException>(() => operations.ResolveAsync(name, arrived: true, "ops-test", CancellationToken.None));

        Assert.Contains("is not a drop", reimport.Message, StringComparison.Ordinal);
        Assert.Equal(0, Sandbox.Calls.Count(Import));
    }

    [Fact]
    public async Task A_report_for_an_unsafe_name_stays_in_the_results_container()
    {
        var blob = await DropAsync("42/sites/a%2F..%2F..%2Fescape.csv", Csv(2));

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        Assert.StartsWith("_unsafe-names/", outcome.ReportBlob, StringComparison.Ordinal);
        var report = await ReportAsync(blob.Name);
        Assert.Equal("BadBlobName", report.GetProperty("rejection").GetProperty("code").GetString());
        Assert.Equal(0, Sandbox.Calls.Count(Import));
    }
}
