using System.Text.Json;
using Integration.Imports;
using Integration.Sandbox;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Imports;

/// <summary>Dragonfruit's size limit: a 413 that cannot loop, and the limit learned so later files get no 413.</summary>
public sealed class ImportSizeLimitTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    private readonly string _limits = $"limits{Guid.NewGuid():N}"[..20];

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>(base.AppSettings!)
    {
        ["Imports:SizeLimitsTable"] = _limits,
        ["Imports:MaxPartBytes"] = "100000",
        ["Imports:SizeLimitRefresh"] = "00:00:00",
    };

    [Fact]
    public async Task A_413_for_a_file_that_fits_one_part_splits_it_further_and_the_next_file_is_planned_without_a_413()
    {
        // The partner's cap (2,000 bytes) is far below Imports:MaxPartBytes: the old planner re-sent the same single part forever.
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 2_000 });
        await using var app = await StartAppAsync(sandbox);
        var csv = Csv(120); // about 5 KB
        var first = await DropAsync("42/sites/first.csv", csv);

        var outcome = await ImportAsync(first, app);

        Assert.Equal(ImportStatus.Succeeded, outcome.Status);
        var calls = sandbox.Calls.For(Import);
        Assert.InRange(calls.Count(c => c.Status == 413), 1, 4); // each 413 at least halves the parts
        Assert.InRange(calls.Count, 3, 12);
        Assert.Equal(Rows(csv), string.Concat(sandbox.Imports.Select(i => Rows(i.Sheets["sites"].Content!))));

        sandbox.Calls.Clear();
        var second = await DropAsync("42/sites/second.csv", Csv(150));
        Assert.Equal(ImportStatus.Succeeded, (await ImportAsync(second, app)).Status);

        Assert.DoesNotContain(sandbox.Calls.For(Import), c => c.Status == 413);
        Assert.True((await ReportAsync(second.Name)).GetProperty("parts").GetArrayLength() > 1);
    }

    [Fact]
    public async Task The_learned_limit_survives_a_restart_and_is_shared_by_other_instances()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 2_000 });
        await using (var learning = await StartAppAsync(sandbox))
        {
            await ImportAsync(await DropAsync("42/sites/learn.csv", Csv(120)), learning);
        }

        sandbox.Calls.Clear();
        await using var other = await StartAppAsync(sandbox);
        Assert.Equal(ImportStatus.Succeeded, (await ImportAsync(await DropAsync("42/sites/later.csv", Csv(120)), other)).Status);

        Assert.DoesNotContain(sandbox.Calls.For(Import), c => c.Status == 413);
    }

    [Fact]
    public async Task A_record_that_alone_is_over_the_partners_limit_fails_as_RecordTooLarge_after_a_bounded_number_of_uploads()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 2_000 });
        await using var app = await StartAppAsync(sandbox);
        var blob = await DropAsync("42/sites/big-record.csv", Csv(30, n => n == 20 ? $"S{n},{new string('x', 3_000)},\"a\"" : $"S{n},Site {n},\"a\""));

        var outcome = await ImportAsync(blob, app);

        Assert.Equal(ImportStatus.Failed, outcome.Status);
        var report = await ReportAsync(blob.Name);
        Assert.Equal("RecordTooLarge", report.GetProperty("rejection").GetProperty("code").GetString());
        Assert.Contains("Data row 20", report.GetProperty("rejection").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(sandbox.Calls.Count(Import), 2, 12);
    }

    private static string Rows(string csv) => csv["site_id,name,address\n".Length..];
}
