using System.Text.Json;
using Azure.Storage.Queues;
using Integration.DeadLetters;
using Integration.Operations.DeadLetters.Archive;
using Integration.Sandbox;
using Integration.Local.Tasks;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tests.Cli;

/// <summary>
/// <c>deadletters discard</c>, <c>deadletters archived list</c> and <c>deadletters archived restore</c> end to end: the
/// real <c>integration</c> process on the same Azurite queues, tables and archive container as an app host in the test.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeadLetterArchiveCliTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _queue = $"arc-{Guid.NewGuid():N}"[..20];
    private readonly string _settingsFile = Path.Combine(Path.GetTempPath(), $"archive-cli-{Guid.NewGuid():N}.json");
    private PartnerSandbox _sandbox = null!;
    private IntegrationHost _app = null!;
    private int _tasks;

    private LocalTaskQueue Queue => _app.Services.GetRequiredService<LocalTaskQueue>();

    public async Task InitializeAsync()
    {
        _sandbox = await PartnerSandbox.StartAsync(new SandboxOptions());
        var settings = IntegrationHost.Settings(_sandbox, azurite, $"locks-{Guid.NewGuid():N}"[..20]);
        settings["Operations:AuditTable"] = $"a{Guid.NewGuid():N}";
        settings["Operations:ArchiveContainer"] = $"archive-{Guid.NewGuid():N}"[..30];
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
    public async Task Discard_archives_what_the_filter_takes_list_shows_it_and_restore_sends_it_back()
    {
        var test = await DeadLetterAsync("InvalidMessage");
        var kept = await DeadLetterAsync("RetriesExhausted");

        var dryRun = await CliAsync("deadletters", "discard", "--reason", "InvalidMessage", "--dry-run", "--json");
        var discard = await CliAsync("deadletters", "discard", "--reason", "InvalidMessage", "--note", "test message");
        var afterDiscard = (await DeadLettersAsync()).Select(m => m.MessageId).ToList();
        var list = await CliAsync("deadletters", "archived", "list", "--json");
        var restore = await CliAsync("deadletters", "archived", "restore", "--id", test, "--rate", "50");

        Assert.Equal(0, dryRun.ExitCode);
        using (var json = JsonDocument.Parse(dryRun.Out))
        {
            Assert.Equal((true, 1), (json.RootElement.GetProperty("dryRun").GetBoolean(), json.RootElement.GetProperty("discarded").GetInt32()));
        }

        Assert.Equal(0, discard.ExitCode);
        Assert.Contains($"1 archived and removed from the dead-letters ({test}), 1 not matching", discard.Out, StringComparison.Ordinal);
        Assert.Equal([kept], afterDiscard);
        Assert.Equal(0, list.ExitCode);
        using (var json = JsonDocument.Parse(list.Out))
        {
            var entry = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("test message", entry.GetProperty("note").GetString());
            Assert.StartsWith("cli:", entry.GetProperty("archivedBy").GetString(), StringComparison.Ordinal);
            Assert.Equal(test, entry.GetProperty("deadLetter").GetProperty("messageId").GetString());
        }

        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("1 sent back to the task queue and removed from the archive", restore.Out, StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<DeadLetterArchive>().ListAsync(DeadLetterFilter.All, 10, CancellationToken.None).ToListAsync());
        var copy = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal((test, P.RedriveTrigger), (copy.Message.MessageId, copy.Message.Properties[P.Trigger].ToString()));
    }

    [Fact]
    public async Task With_remote_discard_list_and_restore_go_through_the_ops_endpoints_of_a_running_console()
    {
        var test = await DeadLetterAsync("InvalidMessage");
        await using var console = RunningCli.Start(null, "console", "--settings", _settingsFile);
        var line = console.WaitForLine("Ops console: ");
        var api = new Uri(new Uri(line[line.IndexOf("http", StringComparison.Ordinal)..].Trim()), "/api/");
        string[] remote = ["--remote", $"--Ops:Url={api}", "--Ops:Key=local-key"];

        var discard = await CliAsync(["deadletters", "discard", "--id", test, "--note", "over http", .. remote]);
        var list = await CliAsync(["deadletters", "archived", "list", "--json", .. remote]);
        var dryRun = await CliAsync(["deadletters", "archived", "restore", "--id", test, "--dry-run", .. remote]);
        var restore = await CliAsync(["deadletters", "archived", "restore", "--id", test, "--rate", "50", .. remote]);
        await console.TerminateAsync();

        Assert.Equal(0, discard.ExitCode);
        Assert.Contains($"1 archived and removed from the dead-letters ({test})", discard.Out, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        using (var json = JsonDocument.Parse(list.Out))
        {
            var entry = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(("over http", test), (entry.GetProperty("note").GetString(), entry.GetProperty("deadLetter").GetProperty("messageId").GetString()));
        }

        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("1 would be sent back", dryRun.Out, StringComparison.Ordinal);
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("1 sent back to the task queue and removed from the archive", restore.Out, StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<DeadLetterArchive>().ListAsync(DeadLetterFilter.All, 10, CancellationToken.None).ToListAsync());
        var copy = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal((test, P.RedriveTrigger), (copy.Message.MessageId, copy.Message.Properties[P.Trigger].ToString()));
    }

    [Theory]
    [InlineData("--max takes a positive whole number", "deadletters", "discard", "--max", "0")]
    [InlineData("--max takes a positive whole number", "deadletters", "discard", "--max", "1.5")]
    [InlineData("--since: 'yesterday' is neither", "deadletters", "discard", "--since", "yesterday")]
    [InlineData("'--typo'", "deadletters", "discard", "--typo", "x")]
    [InlineData("--max takes a positive whole number", "deadletters", "archived", "list", "--max", "-1")]
    [InlineData("--max takes a positive whole number", "deadletters", "archived", "restore", "--remote", "--max", "0")]
    public async Task Bad_usage_exits_2_and_discards_nothing(string problem, params string[] args)
    {
        var id = await DeadLetterAsync("InvalidMessage");

        var result = await CliAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
        Assert.Equal([id], (await DeadLettersAsync()).Select(m => m.MessageId));
    }

    private Task<CliProcess.Result> CliAsync(params string[] args) => CliProcess.RunAsync([.. args, "--settings", _settingsFile]);

    private async Task<string> DeadLetterAsync(string reason)
    {
        var id = await Queue.SendAsync(BinaryData.FromString($$"""{"external_id":"ticket#{{Interlocked.Increment(ref _tasks)}}","fields":{"title":"t"},"version":1}"""));
        var delivery = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        await new LocalTaskSettlement(Queue, delivery).DeadLetterAsync(reason, $"{reason} for the test", new Dictionary<string, object> { [P.Attempt] = 1 }, CancellationToken.None);
        return id;
    }

    private async Task<List<DeadLetteredMessage>> DeadLettersAsync() =>
        await _app.Services.GetRequiredService<DeadLetterInspector>().ListAsync(DeadLetterFilter.All, CancellationToken.None).ToListAsync();
}
