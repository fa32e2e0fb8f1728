using Integration.Imports;
using Integration.Operations;
using Integration.Tests.Fixtures;
using Integration.Tests.Imports;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Operations.Console;

/// <summary><c>GET ops/imports/report?blob=…</c>: the report written beside a drop, for the console's import view.</summary>
public sealed class ImportReportQueryTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    private ImportReportQuery Reports => App.Services.GetRequiredService<ImportReportQuery>();

    [Fact]
    public async Task The_report_of_a_rejected_drop_is_read_back_with_its_rejection()
    {
        await ImportAsync(await DropAsync("42/sites/empty.csv", ""));

        var report = await Reports.GetAsync("42/sites/empty.csv", CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal((ImportStatus.Rejected, "Empty"), (report.Status, report.Rejection?.Code));
    }

    [Fact]
    public async Task A_drop_without_a_report_is_null_and_a_name_that_is_not_a_drop_is_refused()
    {
        Assert.Null(await Reports.GetAsync("42/sites/never.csv", CancellationToken.None));
        var refused = await Assert.ThrowsAsync<InvalidBlobNameException>(() => Reports.GetAsync("42/sites/../../x.csv", CancellationToken.None));
        Assert.Contains("42/sites/../../x.csv", refused.Message, StringComparison.Ordinal);
    }
}
