using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Integration.Imports;
using Integration.Operations;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Local.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tasks;
using Microsoft.Extensions.DependencyInjection;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tests.Cli;

/// <summary>
/// The operator commands end to end: the real <c>integration</c> process, pointed with <c>--settings</c> at the same
/// Azurite queues and tables and the same sandbox as an app host in the test, which seeds and checks what they did.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpsCliTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string MissingTitle = """{"detail":[{"loc":["body","fields","title"],"msg":"field required","type":"value_error.missing"}]}""";
    private const string Fingerprint422 = "Rejected422|422|value_error.missing";

    private readonly string _queue = $"cli-{Guid.NewGuid():N}"[..20];
    private readonly string _settingsFile = Path.Combine(Path.GetTempPath(), $"ops-cli-{Guid.NewGuid():N}.json");
    private PartnerSandbox _sandbox = null!;
    private IntegrationHost _app = null!;
    private int _tasks;

    private LocalTaskQueue Queue => _app.Services.GetRequiredService<LocalTaskQueue>();

    public async Task InitializeAsync()
    {
        _sandbox = await PartnerSandbox.StartAsync(new SandboxOptions());
        _sandbox.Secrets.Set("dragonfruit-refresh-token", _sandbox.CurrentRefreshToken);
        _sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        var settings = IntegrationHost.Settings(_sandbox, azurite, $"locks-{Guid.NewGuid():N}"[..20]);
        settings["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}";
        settings["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}";
        settings["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}";
        settings["Operations:AuditTable"] = $"a{Guid.NewGuid():N}";
        settings["Imports:Container"] = $"imports-{Guid.NewGuid():N}"[..20];
        settings["Imports:ResultsContainer"] = $"results-{Guid.NewGuid():N}"[..20];
        settings["Imports:LedgerTable"] = $"ledger{Guid.NewGuid():N}"[..20];
        settings["LocalTaskQueue:QueueName"] = _queue;
        settings["LocalTaskQueue:DeadLetterQueueName"] = $"{_queue}-dlq";
        await File.WriteAllTextAsync(_settingsFile, JsonSerializer.Serialize(settings.Where(s => s.Value is not null).ToDictionary()));
        _app = await IntegrationHost.StartAsync(settings, new TestClock(DateTimeOffset.UtcNow), services => services.AddLocalDeadLetterQueue());
        await Queue.CreateIfNotExistsAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        var queues = new QueueServiceClient(azurite.ConnectionString);
        await queues.DeleteQueueAsync(_queue);
        await queues.DeleteQueueAsync($"{_queue}-dlq");
        await _sandbox.DisposeAsync();
        File.Delete(_settingsFile);
    }

    [Fact]
    public async Task Deadletters_groups_list_and_redrive_report_and_move_what_their_filters_take()
    {
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        await DeadLetterAsync("InvalidMessage", new Dictionary<string, object>());

        var groups = await CliAsync("deadletters", "groups");
        var invalid = await CliAsync("deadletters", "list", "--reason", "InvalidMessage", "--json");
        var dryRun = await CliAsync("deadletters", "redrive", "--fingerprint", Fingerprint422, "--dry-run", "--json");
        Assert.Equal(3, (await DeadLettersAsync()).Count);
        var redrive = await CliAsync("deadletters", "redrive", "--fingerprint", Fingerprint422, "--rate", "50");

        Assert.Equal(0, groups.ExitCode);
        Assert.Contains("3 dead-lettered task message(s) in 2 group(s)", groups.Out, StringComparison.Ordinal);
        Assert.Contains($"     2  {Fingerprint422}", groups.Out, StringComparison.Ordinal);
        Assert.Equal(0, invalid.ExitCode);
        Assert.Equal("InvalidMessage", Assert.Single(JsonDocument.Parse(invalid.Out).RootElement.GetProperty("items").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal(0, dryRun.ExitCode);
        var dry = JsonDocument.Parse(dryRun.Out).RootElement;
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, dry.GetProperty("counts").GetProperty("moved").GetInt32());
        Assert.Equal(0, redrive.ExitCode);
        Assert.Contains("2 moved back to the task queue", redrive.Out, StringComparison.Ordinal);
        Assert.Equal("InvalidMessage", Assert.Single(await DeadLettersAsync()).Reason);
        var back = await Queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(2, back.Count);
        Assert.All(back, d => Assert.Equal(P.RedriveTrigger, d.Message.Properties[P.Trigger]?.ToString()));
        var audit = await _app.Services.GetRequiredService<OpsAudit>().SinceAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None).ToListAsync();
        Assert.Equal([true, false], audit.Where(a => a.Operation == "deadletters.redrive").OrderBy(a => a.At).Select(a => a.DryRun));
        Assert.All(audit, a => Assert.StartsWith("cli:", a.Actor, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("'--fingerprnt' was not matched. Did you mean one of the following?\n--fingerprint", "deadletters", "redrive", "--fingerprnt", "x")]
    [InlineData("since is required", "resync", "--dry-run")]
    [InlineData("resume: not a position", "resync", "--resume", "AAAA")]
    [InlineData("since and resume: give one", "resync", "--since", "2h", "--resume", "AAAA")]
    [InlineData("--rate takes a positive number, not '-1'", "deadletters", "redrive", "--rate", "-1")]
    [InlineData("--rate takes a positive number, not 'Infinity'", "deadletters", "redrive", "--rate", "Infinity")]
    [InlineData("--max takes a positive whole number, not '0.5'", "resync", "--since", "1h", "--max", "0.5", "--remote")]
    [InlineData("--max takes a positive whole number, not '0'", "deadletters", "redrive", "--max", "0")]
    [InlineData("Required argument missing for command: 'reimport'.", "imports", "reimport")]
    [InlineData("--since: 'yesterday' is neither", "imports", "list", "--since", "yesterday")]
    [InlineData("--until: '3000000x' is neither", "deadletters", "redrive", "--until", "3000000x")]
    [InlineData("say what you found in Dragonfruit", "imports", "resolve", "42/sites/held.csv")]
    [InlineData("say what you found in Dragonfruit", "imports", "resolve", "42/sites/held.csv", "--arrived", "--lost")]
    [InlineData("'lst' was not matched. Did you mean one of the following?\nlist", "imports", "lst")]
    [InlineData("Required command was not provided.", "deadletters")]
    public async Task Bad_arguments_exit_2_with_the_problem_a_suggestion_and_the_help_and_change_nothing(string problem, params string[] args)
    {
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));

        var result = await CliAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"Usage:\n  integration {string.Join(' ', args.TakeWhile(a => !a.StartsWith('-') && !a.Contains('/', StringComparison.Ordinal) && a != "lst"))}", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Empty(result.Out);
        Assert.Single(await DeadLettersAsync());
    }

    [Fact]
    public async Task Redrive_with_json_prints_only_the_json_and_without_it_its_progress_goes_to_stderr()
    {
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));

        var quiet = await CliAsync("deadletters", "redrive", "--fingerprint", Fingerprint422, "--dry-run", "--json");
        var shown = await CliAsync("deadletters", "redrive", "--fingerprint", Fingerprint422, "--dry-run");

        Assert.Equal((0, 0), (quiet.ExitCode, shown.ExitCode));
        Assert.Equal(2, JsonDocument.Parse(quiet.Out).RootElement.GetProperty("counts").GetProperty("moved").GetInt32());
        Assert.DoesNotContain("redrive:", quiet.Error, StringComparison.Ordinal);
        Assert.Contains("redrive: 2 would move", shown.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("redrive:", shown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resync_dry_run_counts_and_resync_queues_the_latest_accepted_version_of_each_task()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        await HandleAsync(Task("a", version: 1));
        _app.Clock.Advance(TimeSpan.FromSeconds(2));
        await HandleAsync(Task("a", version: 2));
        _app.Clock.Advance(TimeSpan.FromSeconds(2));
        await HandleAsync(Task("b", version: 1));

        var dryRun = await CliAsync("resync", "--since", since, "--dry-run", "--json");
        var queuedByDryRun = await Queue.ReceiveAsync(10, TimeSpan.FromSeconds(1), CancellationToken.None);
        var resync = await CliAsync("resync", "--since", since, "--rate", "50");

        Assert.Equal(0, dryRun.ExitCode);
        var counted = JsonDocument.Parse(dryRun.Out).RootElement;
        Assert.Equal((2, 2), (counted.GetProperty("tasks").GetInt32(), counted.GetProperty("sent").GetInt32()));
        Assert.Empty(queuedByDryRun);
        Assert.Equal(0, resync.ExitCode);
        Assert.Contains("2 sent to the task queue", resync.Out, StringComparison.Ordinal);
        var queued = await Queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(["\"version\":1", "\"version\":2"], queued.Select(d => d.Message.Body.ToString()).Select(b => b[b.IndexOf("\"version\"", StringComparison.Ordinal)..^1]).Order());
        Assert.All(queued, d => Assert.Equal(P.ResyncTrigger, d.Message.Properties[P.Trigger]?.ToString()));
    }

    [Fact]
    public async Task Imports_list_shows_the_ledger_and_reimport_sends_a_done_file_again_or_says_it_does_not_exist()
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImportsOptions>>().Value.Container);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("42/sites/cli.csv");
        await blob.UploadAsync(BinaryData.FromString("site_id,name\nS1,One\n"));
        await _app.Services.GetRequiredService<ImportHandler>().HandleAsync(blob, CancellationToken.None);

        var list = await CliAsync("imports", "list", "--status", "all", "--json");
        var reimport = await CliAsync("imports", "reimport", "42/sites/cli.csv");
        var missing = await CliAsync("imports", "reimport", "42/sites/missing.csv");
        var notHeld = await CliAsync("imports", "resolve", "42/sites/cli.csv", "--lost");

        Assert.Equal(0, list.ExitCode);
        var listed = Assert.Single(JsonDocument.Parse(list.Out).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(("42/sites/cli.csv", "succeeded"), (listed.GetProperty("blob").GetString(), listed.GetProperty("status").GetString()));
        Assert.Equal(0, reimport.ExitCode);
        Assert.Contains("42/sites/cli.csv: imported again, succeeded", reimport.Out, StringComparison.Ordinal);
        Assert.Equal(2, _sandbox.Imports.Count);
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("No blob '42/sites/missing.csv'", missing.Error, StringComparison.Ordinal);
        Assert.Equal(3, notHeld.ExitCode);
        Assert.Contains("nothing to resolve", notHeld.Error, StringComparison.Ordinal);
        Assert.Equal(2, _sandbox.Imports.Count);
    }

    [Fact]
    public async Task Tasks_push_takes_the_same_settings_file_and_a_missing_setting_exits_3_naming_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"push-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(file, """{"external_id":"pushed","fields":{"title":"t"},"version":1}""" + "\n");
        try
        {
            var pushed = await CliAsync("tasks", "push", file);
            var unconfigured = await CliProcess.RunAsync("tasks", "push", file);

            Assert.Equal(0, pushed.ExitCode);
            Assert.Contains($"Sent 1 task message(s) from {file} to queue {_queue}", pushed.Out, StringComparison.Ordinal);
            Assert.Single(await Queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None));
            Assert.Equal(3, unconfigured.ExitCode);
            Assert.StartsWith("error: ", unconfigured.Error, StringComparison.Ordinal);
            Assert.Contains("Storage:ConnectionString", unconfigured.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", unconfigured.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Requests_list_shows_every_fragment_attempt_in_the_window_filtered_by_task_and_status()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        await HandleAsync(Task("r1", version: 1));
        _app.Clock.Advance(TimeSpan.FromSeconds(2));
        await HandleAsync(Task("r2", version: 1));

        var all = await CliAsync("requests", "list", "--since", since, "--json");
        var one = await CliAsync("requests", "list", "--since", since, "--task", Integration.Tasks.Messages.FragmentUid.FromExternalId("r2").ToString("D"));
        var failed = await CliAsync("requests", "list", "--since", since, "--status", "5xx", "--json");

        Assert.Equal(0, all.ExitCode);
        var rows = JsonDocument.Parse(all.Out).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(200, row.GetProperty("status").GetInt32()));
        Assert.Equal(0, one.ExitCode);
        Assert.Contains("1 Fragment attempt(s)", one.Out, StringComparison.Ordinal);
        Assert.Contains($"task {Integration.Tasks.Messages.FragmentUid.FromExternalId("r2"):D} version 1  attempt 1 (normal)", one.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("vversion", one.Out, StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse(failed.Out).RootElement.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_422_echoing_the_API_token_leaves_it_in_no_dead_letter_request_log_row_log_line_or_CLI_output()
    {
        var apiToken = new SandboxOptions().FragmentApiToken; // not JWT-shaped: only the known-secrets registry can catch it
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        _sandbox.Faults.Enqueue("tasks", Fault.Echoing(422, $$"""{"detail":[{"loc":["body"],"msg":"token {{Fault.CredentialPlaceholder}} may not write this task","type":"value_error"}]}"""));
        await Queue.SendAsync(BinaryData.FromString(Task("echo", version: 1)));
        var delivery = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        await _app.Services.GetRequiredService<ITaskHandler>().HandleAsync(delivery.Message, new LocalTaskSettlement(Queue, delivery), CancellationToken.None);

        var deadLetter = Assert.Single(await DeadLettersAsync());
        var rows = await _app.Services.GetRequiredService<RequestLog>().SinceAsync(DateTimeOffset.UtcNow.AddMinutes(-5), CancellationToken.None).ToListAsync();
        var list = await CliAsync("deadletters", "list");
        var listJson = await CliAsync("deadletters", "list", "--json");
        var requests = await CliAsync("requests", "list", "--since", since);

        Assert.Equal("Rejected422", deadLetter.Reason);
        Assert.Contains("token *** may not write this task", deadLetter.PartnerErrorBody, StringComparison.Ordinal);
        Assert.Contains("token *** may not write this task", Assert.Single(rows).Error, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0), (list.ExitCode, listJson.ExitCode, requests.ExitCode));
        Assert.Contains("token *** may not write", listJson.Out, StringComparison.Ordinal);
        Assert.Contains("token *** may not write", requests.Out, StringComparison.Ordinal);
        string[] sinks = [deadLetter.PartnerErrorBody!, deadLetter.Description, rows[0].Error!, _app.Logs.AllText, list.Out, list.Error, listJson.Out, requests.Out, requests.Error];
        Assert.All(sinks, sink => Assert.DoesNotContain(apiToken, sink, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tasks_reset_clears_a_task_row_so_an_older_version_is_sent_and_refuses_a_bad_uid()
    {
        var uid = Integration.Tasks.Messages.FragmentUid.FromExternalId("reset-me");
        await HandleAsync(Task("reset-me", version: 5));

        var reset = await CliAsync("tasks", "reset", uid.ToString("D"));
        var json = await CliAsync("tasks", "reset", uid.ToString("D"), "--json");
        var bad = await CliAsync("tasks", "reset", "not-a-uid");
        _app.Clock.Advance(TimeSpan.FromSeconds(2)); // the shared rate budget refills
        await HandleAsync(Task("reset-me", version: 3));

        Assert.Equal(0, reset.ExitCode);
        Assert.Contains($"task {uid:D}: reset (was applied version 5, high-water mark version 5)", reset.Out, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(json.Out).RootElement.GetProperty("cleared").GetBoolean());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'not-a-uid' is not a task uid", bad.Error, StringComparison.Ordinal);
        Assert.Equal(2, _sandbox.Calls.Count("tasks"));
        var audit = await _app.Services.GetRequiredService<OpsAudit>().SinceAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None).ToListAsync();
        Assert.Equal(2, audit.Count(a => a.Operation == "tasks.reset" && a.Actor.StartsWith("cli:", StringComparison.Ordinal)));
    }

    private Task<CliProcess.Result> CliAsync(params string[] args) => CliProcess.RunAsync([.. args, "--settings", _settingsFile]);

    private async Task DeadLetterAsync(string reason, IReadOnlyDictionary<string, object> properties)
    {
        await Queue.SendAsync(BinaryData.FromString($$"""{"external_id":"ticket#{{Interlocked.Increment(ref _tasks)}}","fields":{"title":"t"},"version":1}"""));
        var delivery = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        await new LocalTaskSettlement(Queue, delivery).DeadLetterAsync(reason, $"{reason} for the test", properties, CancellationToken.None);
    }

    private async Task<List<Integration.DeadLetters.DeadLetteredMessage>> DeadLettersAsync() =>
        await _app.Services.GetRequiredService<Integration.DeadLetters.DeadLetterInspector>().ListAsync(Integration.DeadLetters.DeadLetterFilter.All, CancellationToken.None).ToListAsync();

    private static Dictionary<string, object> Failure(int status, string body) => new()
    {
        [P.Attempt] = 1,
        [P.HttpStatus] = status,
        [P.PartnerErrorBody] = body,
        [P.LastFailureAt] = DateTimeOffset.UtcNow.ToString("O"),
    };

    private async Task HandleAsync(string body)
    {
        var settlement = new RecordingSettlement();
        await _app.Services.GetRequiredService<ITaskHandler>().HandleAsync(
            new IncomingTask(Guid.NewGuid().ToString("N"), BinaryData.FromString(body), 1, new Dictionary<string, object>(), _app.Clock.GetUtcNow()), settlement, CancellationToken.None);
        Assert.Equal("Complete", (await settlement.Settled.WaitAsync(TimeSpan.FromSeconds(30))).Kind);
    }

    private static string Task(string key, int version) => $$"""{"external_id":"{{key}}","status":"TODO","fields":{"title":"t"},"version":{{version}}}""";
}
