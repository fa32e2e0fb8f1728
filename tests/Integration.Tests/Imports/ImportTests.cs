using System.Text.Json;
using Integration.Imports;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Imports;

/// <summary>Files checked in full before their upload (the default up to <c>Imports:PrevalidateMaxBytes</c>).</summary>
public class ImportTests(AzuriteFixture azurite) : ImportTestBase(azurite)
{
    [Theory]
    [InlineData("sites")]
    [InlineData("site_contacts")]
    public async Task Dropped_csv_reaches_the_bulk_import_unchanged_and_a_report_says_succeeded(string sheet)
    {
        var csv = Csv(25);
        var blob = await DropAsync($"42/{sheet}/batch-1.csv", csv);

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Succeeded, outcome.Status);
        var received = Assert.Single(Sandbox.Imports);
        Assert.Equal(42, received.CustomerId);
        var sent = Assert.Single(received.Sheets).Value;
        Assert.Equal(sheet, sent.FieldName);
        Assert.Equal("batch-1.csv", sent.FileName);
        Assert.Equal(csv, sent.Content);
        var report = await ReportAsync(blob.Name);
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.Equal(25, report.GetProperty("rows").GetInt64());
        Assert.True(await blob.ExistsAsync(), "the dropped file is kept");
        Assert.StartsWith("Bearer eyJ", Sandbox.Calls.For(Import)[0].Headers["authorization"]);
    }

    [Fact]
    public async Task Row_errors_on_200_are_reported_with_source_rows_and_a_failing_rows_csv()
    {
        var blob = await DropAsync("7/sites/errors.csv", Csv(10, n => n is 3 or 8 ? $"S{n},INVALID,\"x\"" : $"S{n},Site {n},\"a, b\""));

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.SucceededWithRowErrors, outcome.Status);
        var report = await ReportAsync(blob.Name);
        var rows = report.GetProperty("rowErrors").EnumerateArray().Select(e => e.GetProperty("sourceRow").GetInt64()).ToArray();
        Assert.Equal([3L, 8L], rows);
        Assert.Contains("\"row\"", report.GetProperty("parts")[0].GetProperty("rawErrors").GetProperty("sites").GetString(), StringComparison.Ordinal);
        var failing = await ResultTextAsync(ImportReports.FailedRowsName(blob.Name));
        var lines = failing.TrimEnd('\n').Split('\n');
        Assert.Equal("site_id,name,address,import_error", lines[0]);
        Assert.StartsWith("S3,INVALID,\"x\",", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("S8,INVALID,\"x\",", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Same_blob_version_triggered_twice_is_imported_once_and_a_changed_blob_again()
    {
        var blob = await DropAsync("42/sites/twice.csv", Csv(5));

        var first = await ImportAsync(blob);
        var second = await ImportAsync(blob);
        await DropAsync("42/sites/twice.csv", Csv(6));
        var changed = await ImportAsync(blob);

        Assert.False(first.AlreadyImported);
        Assert.True(second.AlreadyImported);
        Assert.False(changed.AlreadyImported);
        Assert.Equal(2, Sandbox.Imports.Count);
    }

    [Fact]
    public async Task Too_many_requests_then_success_waits_the_Retry_After()
    {
        Sandbox.Faults.Enqueue(Import, Fault.WithStatus(429, retryAfter: TimeSpan.FromSeconds(9)));
        var blob = await DropAsync("42/sites/busy.csv", Csv(5));

        var import = ImportAsync(blob);
        var retry = await AdvancePastRetryAsync(App);

        Assert.Equal(ImportStatus.Succeeded, (await import).Status);
        Assert.Equal(TimeSpan.FromSeconds(9), retry.Property<TimeSpan>("RetryDelay"));
        Assert.Equal(2, Sandbox.Calls.Count(Import));
        Assert.Equal(2, (await ReportAsync(blob.Name)).GetProperty("parts")[0].GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Three_503s_then_success_resends_the_whole_file_each_time()
    {
        Sandbox.Faults.Enqueue(Import, Fault.WithStatus(503), Fault.WithStatus(503), Fault.WithStatus(503));
        var csv = Csv(40);
        var blob = await DropAsync("42/sites/flaky.csv", csv);

        var import = ImportAsync(blob);
        for (var n = 1; n <= 3; n++)
        {
            await AdvancePastRetryAsync(App, n);
        }

        Assert.Equal(ImportStatus.Succeeded, (await import).Status);
        Assert.Equal(4, Sandbox.Calls.Count(Import));
        Assert.Equal(csv, Assert.Single(Sandbox.Imports).Sheets["sites"].Content);
    }

    [Fact]
    public async Task Bad_request_is_not_retried_and_the_report_keeps_status_body_and_request_id()
    {
        Sandbox.Faults.Enqueue(Import, Fault.WithStatus(400, body: """{"success":false,"message":"Unknown column 'colour'"}"""));
        var blob = await DropAsync("42/sites/bad.csv", Csv(5));

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Failed, outcome.Status);
        Assert.Equal(1, Sandbox.Calls.Count(Import));
        var partner = (await ReportAsync(blob.Name)).GetProperty("partner");
        Assert.Equal(400, partner.GetProperty("status").GetInt32());
        Assert.Contains("Unknown column", partner.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(partner.GetProperty("requestId").GetString()));
        Assert.Contains("customer/42/sites/import", partner.GetProperty("endpoint").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HTTP_200_saying_success_false_is_a_failed_import_not_a_success()
    {
        Sandbox.Faults.Enqueue(Import, Fault.SuccessBody("""{"success":false,"message":"Import queue full"}"""));
        var blob = await DropAsync("42/sites/not-really.csv", Csv(3));

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Failed, outcome.Status);
        Assert.Equal(1, Sandbox.Calls.Count(Import));
        var partner = (await ReportAsync(blob.Name)).GetProperty("partner");
        Assert.Equal(200, partner.GetProperty("status").GetInt32());
        Assert.Contains("Import queue full", partner.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthorized_forces_one_token_refresh_then_succeeds()
    {
        await App.DragonfruitTokens.GetBearerTokenAsync(CancellationToken.None); // cached before it is revoked
        Sandbox.RevokeIssuedTokens();
        var blob = await DropAsync("42/sites/auth.csv", Csv(5));

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Succeeded, outcome.Status);
        Assert.Equal(2, Sandbox.Calls.Count(Tokens));
        var calls = Sandbox.Calls.For(Import);
        Assert.Equal([401, 200], calls.Select(c => c.Status));
        Assert.NotEqual(calls[0].Headers["authorization"], calls[1].Headers["authorization"]);
        Assert.All(calls, call => Assert.DoesNotContain(call.Headers["authorization"]["Bearer ".Length..], App.Logs.AllText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Payload_too_large_is_split_on_record_boundaries_and_rows_map_back_to_the_source()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 4000 });
        await using var app = await StartAppAsync(sandbox);
        var csv = Csv(200, n => n == 150 ? "S150,INVALID,\"x\"" : n % 37 == 0 ? $"\r\nS{n},plain,row" : $"S{n},\"Site {n}\nsecond line, with comma\",\"{n} \"\"Main\"\" St\"");
        var blob = await DropAsync("42/sites/big.csv", csv);

        var outcome = await ImportAsync(blob, app);

        Assert.Equal(ImportStatus.SucceededWithRowErrors, outcome.Status);
        var parts = sandbox.Imports.Select(i => i.Sheets["sites"].Content!).ToList();
        Assert.True(parts.Count > 2, $"{parts.Count} parts");
        var header = "site_id,name,address\n";
        Assert.All(parts, part => Assert.StartsWith(header, part, StringComparison.Ordinal));
        Assert.Equal(csv[header.Length..], string.Concat(parts.Select(p => p[header.Length..])));
        var report = await ReportAsync(blob.Name);
        Assert.Equal(150, Assert.Single(report.GetProperty("rowErrors").EnumerateArray()).GetProperty("sourceRow").GetInt64());
        Assert.Equal(200, report.GetProperty("parts").EnumerateArray().Sum(p => p.GetProperty("rowCount").GetInt64()));
    }

    [Fact]
    public async Task Host_killed_while_a_part_awaits_its_answer_sends_nothing_more_until_an_operator_resolves_it()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 4000 });
        var csv = Csv(120);
        var blob = await DropAsync("42/sites/killed.csv", csv);
        sandbox.Faults.Enqueue(Import, Fault.WithStatus(413), new Fault(), new Fault { Hang = true }); // part 1 never answers
        using var kill = new CancellationTokenSource();
        var first = await StartAppAsync(sandbox);
        var running = first.Services.GetRequiredService<ImportHandler>().HandleAsync(blob, kill.Token);
        await first.Logs.WaitForAsync(l => l.Property<int>("Part") == 1 && l.Properties.ContainsKey("BodySentAt"));

        await kill.CancelAsync(); // the host goes down while part 1's answer is awaited: Dragonfruit may have it all
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await first.DisposeAsync();
        await using var restarted = await StartAppAsync(sandbox);
        var held = await ImportAsync(blob, restarted);
        var again = await ImportAsync(blob, restarted); // the trigger firing again

        Assert.Equal(ImportStatus.Unknown, held.Status);
        Assert.Equal(ImportStatus.Unknown, again.Status);
        Assert.Equal(3, sandbox.Calls.Count(Import)); // the whole file (413), part 0, part 1: nothing sent after the restart
        var report = await ReportAsync(blob.Name);
        Assert.Equal("outcome_unknown", report.GetProperty("status").GetString());
        var lost = report.GetProperty("answerLost");
        Assert.Equal(1, lost.GetProperty("part").GetInt32());
        Assert.Contains("process stopped", lost.GetProperty("failure").GetString(), StringComparison.Ordinal);
        Assert.Contains("integration imports resolve 42/sites/killed.csv --arrived", lost.GetProperty("whatToDo").GetString(), StringComparison.Ordinal);
        var heldPart = report.GetProperty("parts")[1];
        Assert.Equal(report.GetProperty("parts")[0].GetProperty("rowCount").GetInt64() + 1, heldPart.GetProperty("firstRow").GetInt64());
        Assert.True(heldPart.GetProperty("rowCount").GetInt64() > 0, "the held part says which rows an operator looks for");

        // The operator finds Dragonfruit never got part 1 (it hung): it is sent again, and the rest after it.
        var resolved = await restarted.Services.GetRequiredService<Integration.Operations.ImportOperations>().ResolveAsync(blob.Name, arrived: false, "ops-test", CancellationToken.None);

        Assert.Equal(ImportStatus.Succeeded, resolved.Status);
        var contents = sandbox.Imports.Select(i => i.Sheets["sites"].Content!).ToList();
        Assert.Equal(contents.Count, contents.Distinct().Count());
        Assert.Equal(csv["site_id,name,address\n".Length..], string.Concat(contents.Select(c => c["site_id,name,address\n".Length..])));
    }

    [Fact]
    public async Task Import_interrupted_after_some_parts_resumes_without_resending_them()
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 4000 });
        await using var app = await StartAppAsync(sandbox, new Dictionary<string, string?> { ["Imports:MaxRetryAttempts"] = "1" });
        var csv = Csv(120);
        var blob = await DropAsync("42/sites/resume.csv", csv);
        // The whole file: 413 (real). Part 0: accepted. Part 1: 503 twice, past the retry budget: the run ends like a crash.
        sandbox.Faults.Enqueue(Import, Fault.WithStatus(413), new Fault(), Fault.WithStatus(503), Fault.WithStatus(503));

        var interrupted = ImportAsync(blob, app);
        await AdvancePastRetryAsync(app);
        await Assert.ThrowsAsync<ImportRetryException>(() => interrupted);
        var sentBefore = sandbox.Imports.Count;
        Assert.True((await ReportAsync(blob.Name)).GetProperty("willBeRetried").GetBoolean());

        var resumed = await ImportAsync(blob, app);

        Assert.Equal(ImportStatus.Succeeded, resumed.Status);
        var contents = sandbox.Imports.Select(i => i.Sheets["sites"].Content!).ToList();
        Assert.Equal(contents.Count, contents.Distinct().Count()); // no part sent twice
        Assert.Equal(1, sentBefore);
        Assert.Equal(csv["site_id,name,address\n".Length..], string.Concat(contents.Select(c => c["site_id,name,address\n".Length..])));
    }
}
