using System.Text.Json;
using Integration.Imports;
using Integration.Sandbox;
using Integration.Tests.Cli;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Imports;

/// <summary>Dragonfruit answering 400 with a body that echoes the bearer: report.json, logs and <c>integration import</c> output never show it.</summary>
public sealed class ImportEchoedBearerTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    private const string EchoBody = $$"""{"success":false,"message":"credential {{Fault.CredentialPlaceholder}} may not import for this customer"}""";

    [Fact]
    public async Task A_400_echoing_the_bearer_is_masked_in_the_report_and_the_logs()
    {
        Sandbox.Faults.Enqueue(Import, Fault.Echoing(400, EchoBody));
        var blob = await DropAsync("42/sites/echo.csv", Csv(3));

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Failed, outcome.Status);
        var bearer = PresentedBearer(Sandbox);
        var report = await ResultTextAsync(ImportReports.ReportName(blob.Name));
        Assert.Contains("credential *** may not import", JsonDocument.Parse(report).RootElement.GetProperty("partner").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(bearer, report, StringComparison.Ordinal);
        Assert.DoesNotContain(bearer, App.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_import_command_prints_no_echoed_bearer()
    {
        var settingsFile = Path.Combine(Path.GetTempPath(), $"import-echo-{Guid.NewGuid():N}.json");
        var csv = Path.Combine(Path.GetTempPath(), $"echo-{Guid.NewGuid():N}.csv");
        var settings = IntegrationHost.Settings(Sandbox, Azurite, LockContainer);
        foreach (var (key, value) in AppSettings!)
        {
            settings[key] = value;
        }

        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(settings.Where(s => s.Value is not null).ToDictionary()));
        await File.WriteAllTextAsync(csv, Csv(3));
        Sandbox.Faults.Enqueue(Import, Fault.Echoing(400, EchoBody));
        try
        {
            var result = await CliProcess.RunAsync("import", csv, "--customer", "42", "--sheet", "sites", "--settings", settingsFile);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(": failed; report ", result.Out, StringComparison.Ordinal);
            var bearer = PresentedBearer(Sandbox);
            Assert.DoesNotContain(bearer, result.Out + result.Error, StringComparison.Ordinal);
            var report = await ResultTextAsync(ImportReports.ReportName($"42/sites/{Path.GetFileName(csv)}"));
            Assert.Contains("credential *** may not import", report, StringComparison.Ordinal);
            Assert.DoesNotContain(bearer, report, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(settingsFile);
            File.Delete(csv);
        }
    }

    private static string PresentedBearer(PartnerSandbox sandbox) =>
        Assert.Single(sandbox.Calls.For(Import)).Headers["authorization"]["Bearer ".Length..];
}
