using Integration.Imports;
using Integration.Operations;
using Integration.Sandbox;
using Integration.Sandbox.Local;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Imports;

/// <summary>
/// An upload whose whole body went out without an answer coming back: Dragonfruit may have imported it, and has no
/// idempotency key to ask. Held for an operator by default (<c>Imports:WhenAnswerLost=Hold</c>), sent again on request.
/// </summary>
public sealed class LostAnswerTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    private ImportOperations Operations => App.Services.GetRequiredService<ImportOperations>();

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the file checked while it uploads: its row count is known only once the body went out
    public async Task An_attempt_timing_out_after_the_whole_body_is_held_not_retried_and_can_be_confirmed_as_arrived(bool checkedWhileUploading)
    {
        await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?> { ["Imports:PrevalidateMaxBytes"] = checkedWhileUploading ? "0" : null });
        var operations = app.Services.GetRequiredService<ImportOperations>();
        var blob = await DropAsync("42/sites/slow.csv", Csv(6));

        var held = await await ImportWhoseAnswerNeverComesAsync(app, blob);

        Assert.Equal(ImportStatus.Unknown, held.Status);
        Assert.Equal(1, Sandbox.Calls.Count(Import)); // not retried: a retry could import it twice
        var report = await ReportAsync(blob.Name);
        Assert.Equal("attempt timed out after the body was sent", report.GetProperty("answerLost").GetProperty("failure").GetString());
        Assert.Equal(6, report.GetProperty("parts")[0].GetProperty("rowCount").GetInt64());
        Assert.Contains("6 rows (data rows 1 to 6 of the file)", report.GetProperty("answerLost").GetProperty("whatToDo").GetString(), StringComparison.Ordinal);
        Assert.Contains(ImportStatus.Unknown, (await operations.ListAsync(ImportOperations.ProblemStatuses, null, CancellationToken.None)).Select(i => i.Status));
        Assert.Contains(app.Logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.FullText.Contains("held", StringComparison.Ordinal));

        // The operator finds the rows in Dragonfruit: the import is done without sending anything again.
        var resolved = await operations.ResolveAsync(blob.Name, arrived: true, "ops-test", CancellationToken.None);

        Assert.Equal(ImportStatus.Succeeded, resolved.Status);
        Assert.Equal(1, Sandbox.Calls.Count(Import));
        var part = (await ReportAsync(blob.Name)).GetProperty("parts")[0];
        Assert.Contains("ops-test confirmed it arrived", part.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True((await ImportAsync(blob, app)).AlreadyImported);
        var audit = Assert.Single(await app.Services.GetRequiredService<OpsAudit>().SinceAsync(app.Clock.GetUtcNow().AddHours(-1), CancellationToken.None).ToListAsync());
        Assert.Equal(("ops-test", "imports.resolve", "completed: succeeded"), (audit.Actor, audit.Operation, audit.Outcome));
    }

    [Fact]
    public async Task With_WhenAnswerLost_Resend_a_lost_answer_is_retried_like_any_transient_failure()
    {
        await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?> { ["Imports:WhenAnswerLost"] = "Resend" });
        var csv = Csv(6);
        var blob = await DropAsync("42/sites/resend.csv", csv);

        var running = await ImportWhoseAnswerNeverComesAsync(app, blob); // sent again at once: the run decides, not the HTTP retry

        Assert.Equal(ImportStatus.Succeeded, (await running).Status);
        Assert.Equal(2, Sandbox.Calls.Count(Import));
        Assert.Equal(csv, Assert.Single(Sandbox.Imports).Sheets["sites"].Content);
    }

    [Fact]
    public async Task A_failure_answer_after_the_whole_body_is_a_known_outcome_and_is_retried()
    {
        var blob = await DropAsync("42/sites/answered.csv", Csv(3));
        Sandbox.Faults.Enqueue(Import, Fault.WithStatus(502));

        var running = ImportAsync(blob);
        await AdvancePastRetryAsync(App);

        Assert.Equal(ImportStatus.Succeeded, (await running).Status);
        Assert.Equal(2, Sandbox.Calls.Count(Import));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // split in parts after a 413: each part's answer is recorded as it comes
    public async Task An_answer_that_arrives_while_storage_is_down_is_recorded_once_storage_is_back_not_held(bool split)
    {
        // Storage of this test's own, stopped while Dragonfruit holds the answer (the whole body has gone out).
        await using var storage = await AzuriteProcess.StartAsync(RepositoryRoot.Path);
        await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = storage.ConnectionString,
            ["Storage:Retry:MaxRetries"] = "0", // storage's failure reaches the run at once; its own waits are on the test clock
            ["Imports:MaxPartBytes"] = "1024",
        });
        var drops = new Azure.Storage.Blobs.BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(Container);
        await drops.CreateIfNotExistsAsync();
        var blob = drops.GetBlobClient("42/sites/blink.csv");
        await blob.UploadAsync(BinaryData.FromString(Csv(split ? 60 : 3)));
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (split)
        {
            Sandbox.Faults.Enqueue(Import, Fault.WithStatus(413)); // answered before the body: the parts follow
        }

        Sandbox.Faults.Enqueue(Import, new Fault { Gate = answer }); // the first upload whose whole body goes out

        var running = ImportAsync(blob, app);
        await app.Logs.WaitForAsync(l => l.Properties.ContainsKey("BodySentAt"));
        await storage.StopAsync();
        answer.SetResult();
        var recording = app.Logs.WaitForAsync(l => l.Message.StartsWith("Could not record", StringComparison.Ordinal));
        await Task.WhenAny(running, recording);
        Assert.False(running.IsCompleted, $"The run ended while storage was down instead of waiting to record the answer: {running.Exception?.GetBaseException().Message}");
        var waiting = await recording;
        await storage.RestartAsync();
        await app.Clock.AdvanceWhenWaitingAsync(waiting.Property<TimeSpan>("Delay"));
        var outcome = await running;

        Assert.Equal(ImportStatus.Succeeded, outcome.Status);
        var sent = Sandbox.Calls.Count(Import);
        Assert.Equal(split ? sent - 1 : sent, Sandbox.Imports.Count); // each upload once (the 413 imported nothing)
        Assert.Equal(split, Sandbox.Imports.Count > 1);
        Assert.Equal(split ? 60 : 3, Sandbox.Imports.Sum(i => i.Sheets["sites"].Records - 1));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Message.Contains("held", StringComparison.Ordinal));
        var again = await ImportAsync(blob, app);
        Assert.True(again.AlreadyImported);
        Assert.Equal(ImportStatus.Succeeded, again.Status);
        Assert.Equal(sent, Sandbox.Calls.Count(Import));
    }

    [Fact]
    public async Task Resolving_an_import_that_is_not_held_refuses_and_sends_nothing()
    {
        var blob = await DropAsync("42/sites/fine.csv", Csv(2));
        await ImportAsync(blob);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Operations.ResolveAsync(blob.Name, arrived: false, "ops-test", CancellationToken.None));

        Assert.Contains("nothing to resolve", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("succeeded", thrown.Message, StringComparison.Ordinal);
        Assert.Equal(1, Sandbox.Calls.Count(Import));
        var audit = Assert.Single(await App.Services.GetRequiredService<OpsAudit>().SinceAsync(App.Clock.GetUtcNow().AddHours(-1), CancellationToken.None).ToListAsync());
        Assert.Equal(("imports.resolve", "failed: not held (status succeeded)"), (audit.Operation, audit.Outcome));
    }

    /// <summary>
    /// Starts an import whose first attempt Dragonfruit never answers, waits until its whole body went out, then moves
    /// time past the attempt timeout. Returns the running import.
    /// </summary>
    private async Task<Task<ImportOutcome>> ImportWhoseAnswerNeverComesAsync(IntegrationHost app, Azure.Storage.Blobs.BlobClient blob)
    {
        Sandbox.Faults.Enqueue(Import, new Fault { Hang = true });
        var running = ImportAsync(blob, app);
        await app.Logs.WaitForAsync(l => l.Properties.ContainsKey("BodySentAt"));
        await app.Clock.AdvanceWhenWaitingAsync(new ImportsOptions().AttemptTimeout);
        return running;
    }
}
