using Integration.Imports;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Imports;

/// <summary>One run per blob version: a claim (insert-if-absent, ETag-matched takeover after expiry) before any upload.</summary>
public sealed class ImportClaimTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    [Fact]
    public async Task Many_concurrent_runs_over_many_blob_versions_send_each_version_exactly_once()
    {
        var blobs = new List<Azure.Storage.Blobs.BlobClient>();
        for (var i = 0; i < 12; i++)
        {
            blobs.Add(await DropAsync($"42/sites/concurrent-{i}.csv", Csv(3 + i)));
        }

        // Four runs of every version at once, as at-least-once triggers and duplicated events deliver them.
        var runs = blobs.SelectMany(b => Enumerable.Range(0, 4).Select(_ => Task.Run(() => ImportAsync(b)))).ToList();
        var ended = await Task.WhenAll(runs.Select(async r => { try { return (await r).Status; } catch (ImportClaimedElsewhereException) { return "busy"; } }));

        Assert.Equal(12, Sandbox.Imports.Count);
        Assert.Equal(12, Sandbox.Imports.Select(i => i.Sheets["sites"].Content).Distinct().Count());
        Assert.DoesNotContain(ended, s => s is not (ImportStatus.Succeeded or "busy"));

        // Runs that found the version busy are tried again later, and then find it done: nothing more is sent.
        foreach (var blob in blobs)
        {
            Assert.True((await ImportAsync(blob)).AlreadyImported);
        }

        Assert.Equal(12, Sandbox.Imports.Count);
    }

    [Fact]
    public async Task A_version_claimed_by_a_live_run_is_not_sent_nor_reported_and_is_taken_over_once_the_claim_expires()
    {
        var blob = await DropAsync("42/sites/claimed.csv", Csv(4));
        var source = (await ImportSource.OpenAsync(blob, 1024 * 1024, CancellationToken.None))!;
        var ledger = App.Services.GetRequiredService<ImportLedger>();
        Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync(source, "a run that died", CancellationToken.None));

        var busy = await Assert.ThrowsAsync<ImportClaimedElsewhereException>(() => ImportAsync(blob));

        Assert.Contains("tried again later", busy.Message, StringComparison.Ordinal);
        Assert.Equal(0, Sandbox.Calls.Count(Import));
        Assert.False(await new Azure.Storage.Blobs.BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Results).GetBlobClient(ImportReports.ReportName(blob.Name)).ExistsAsync());

        App.Clock.Advance(new ImportsOptions().ClaimDuration + TimeSpan.FromSeconds(1));
        var taken = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Succeeded, taken.Status);
        Assert.Equal(1, Sandbox.Calls.Count(Import));
        Assert.Contains(App.Logs.Lines, l => l.FullText.Contains("takes it over", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_holder_killed_after_its_body_went_out_is_taken_over_after_expiry_and_nothing_is_sent_twice()
    {
        var blob = await DropAsync("42/sites/killed-holder.csv", Csv(5));
        var source = (await ImportSource.OpenAsync(blob, 1024 * 1024, CancellationToken.None))!;
        var ledger = App.Services.GetRequiredService<ImportLedger>();
        // What a holder leaves when it dies after its whole body went out: its claim and an upload awaiting its answer.
        Assert.IsType<ClaimResult.Claimed>(await ledger.ClaimAsync(source, "killed", CancellationToken.None));
        await ledger.UploadAwaitingAnswerAsync(source, new UploadFacts(ImportLedger.WholeRow, 0, null, null, 1, 5, source.Length), App.Clock.GetUtcNow(), CancellationToken.None);

        await Assert.ThrowsAsync<ImportClaimedElsewhereException>(() => ImportAsync(blob));
        App.Clock.Advance(new ImportsOptions().ClaimDuration + TimeSpan.FromSeconds(1));
        var held = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Unknown, held.Status); // the lost-answer rules apply: Dragonfruit may have it
        Assert.Equal(0, Sandbox.Calls.Count(Import));
    }

    [Fact]
    public async Task A_claim_shorter_than_an_upload_with_its_retries_is_refused_at_start()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?> { ["Imports:ClaimDuration"] = "00:05:00" });
        });

        Assert.Contains("Imports:ClaimDuration", error.Message, StringComparison.Ordinal);
    }
}
