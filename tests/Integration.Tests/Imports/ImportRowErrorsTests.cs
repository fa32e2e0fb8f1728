using Integration.Imports;
using Integration.Sandbox;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Imports;

/// <summary>Row errors of any size: a 200 is never turned into a held or failed import by a storage limit.</summary>
public sealed class ImportRowErrorsTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    [Fact]
    public async Task A_split_file_of_6000_invalid_rows_reports_every_error_and_keeps_its_parts_sent()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 60_000 });
        await using var app = await StartAppAsync(sandbox, new Dictionary<string, string?> { ["Imports:MaxPartBytes"] = "50000", ["Imports:MaxFileBytes"] = "1000000" });
        var blob = await DropAsync("42/sites/invalid.csv", Csv(6000, n => $"S{n},INVALID,\"x\""));

        var outcome = await ImportAsync(blob, app);

        Assert.Equal(ImportStatus.SucceededWithRowErrors, outcome.Status);
        var report = await ReportAsync(blob.Name);
        Assert.Equal(6000, report.GetProperty("rowErrors").GetArrayLength());
        Assert.True(report.GetProperty("parts").GetArrayLength() > 1);
        var failing = (await ResultTextAsync(ImportReports.FailedRowsName(blob.Name))).TrimEnd('\n').Split('\n');
        Assert.Equal(6001, failing.Length);
        Assert.StartsWith("S6000,INVALID,", failing[^1], StringComparison.Ordinal);
        Assert.True((await ImportAsync(blob, app)).AlreadyImported);
    }

    [Fact]
    public async Task Row_errors_beyond_the_cap_are_counted_not_listed()
    {
        await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?> { ["Imports:MaxReportedRowErrors"] = "10", ["Imports:MaxPartBytes"] = "100000" });
        var blob = await DropAsync("42/sites/many-errors.csv", Csv(25, n => $"S{n},INVALID,\"x\""));

        Assert.Equal(ImportStatus.SucceededWithRowErrors, (await ImportAsync(blob, app)).Status);

        var report = await ReportAsync(blob.Name);
        Assert.Equal(10, report.GetProperty("rowErrors").GetArrayLength());
        Assert.Equal(15, report.GetProperty("rowErrorsOmitted").GetInt32());
    }
}
