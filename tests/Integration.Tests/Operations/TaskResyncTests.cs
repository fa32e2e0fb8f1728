using Integration.Operations;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Local.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tasks;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tests.Operations;

/// <summary>Re-sync since a time, through the local queue stand-in and the real handler, against the sandbox.</summary>
public sealed class TaskResyncTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private readonly string _queue = $"rs-{Guid.NewGuid():N}"[..20];

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
        ["Operations:AuditTable"] = $"a{Guid.NewGuid():N}",
        ["LocalTaskQueue:QueueName"] = _queue,
        ["LocalTaskQueue:DeadLetterQueueName"] = $"{_queue}-dlq",
    };

    private LocalTaskQueue Queue => App.Services.GetRequiredService<LocalTaskQueue>();

    private TaskResync Resync => App.Services.GetRequiredService<TaskResync>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddLocalDeadLetterQueue();

    [Fact]
    public async Task Resync_sends_the_latest_accepted_version_of_each_task_again_at_the_velocity_asked_and_is_audited()
    {
        var since = App.Clock.GetUtcNow();
        await HandleAsync(Task("a", 1));
        await HandleAsync(Task("a", 2));
        await HandleAsync(Task("b", 1));
        Assert.Equal(3, Sandbox.Tasks.PutCount);

        var run = Resync.RunAsync(new ResyncRequest(since, DryRun: false, "ops-test", MessagesPerSecond: 1), progress: null, CancellationToken.None);
        await App.Clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1)); // the second send waits its turn
        var result = await run;

        Assert.Equal((2, 2, false, (DateTimeOffset?)null), (result.Tasks, result.Sent, result.Cancelled, result.ResumeSince));
        foreach (var delivery in await Queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            Assert.Equal(P.ResyncTrigger, delivery.Message.Properties[P.Trigger]?.ToString());
            Assert.Equal("Complete", (await HandleAsync(delivery.Message.Body.ToString(), delivery.Message.Properties)).Kind);
        }

        Assert.Equal(5, Sandbox.Tasks.PutCount); // the applied versions went again: the stale guard lets a re-sync's equal version through
        var log = await App.Services.GetRequiredService<RequestLog>().SinceAsync(since, CancellationToken.None).ToListAsync();
        Assert.Equal(2, log.Count(row => row.Trigger == P.ResyncTrigger && row.Status == 200));
        var audit = Assert.Single(await App.Services.GetRequiredService<OpsAudit>().SinceAsync(since, CancellationToken.None).ToListAsync());
        Assert.Equal(("ops-test", "resync", false, "completed"), (audit.Actor, audit.Operation, audit.DryRun, audit.Outcome));

        // A second re-sync since the same time does not count the first one's own upserts.
        var again = await Resync.RunAsync(new ResyncRequest(since, DryRun: true, "ops-test"), progress: null, CancellationToken.None);
        Assert.Equal((2, 2), (again.Tasks, again.Sent));
    }

    [Fact]
    public async Task An_older_version_is_never_sent_by_a_resync_and_a_stopped_resync_resumes_from_its_plan_without_reading_the_log_again()
    {
        var since = App.Clock.GetUtcNow();
        await HandleAsync(Task("a", 1));
        await HandleAsync(Task("b", 1));
        await HandleAsync(Task("a", 3)); // a's latest accepted is now v3

        var first = await Resync.RunAsync(new ResyncRequest(since, DryRun: false, "ops-test", MaxMessages: 1), progress: null, CancellationToken.None);
        Assert.Equal((3, 2, 1), (first.AttemptsRead, first.Tasks, first.Sent));
        Assert.NotNull(first.Resume);

        // Upserted after the first slice's scan: not part of this re-sync, so a resume must not send it.
        await HandleAsync(Task("c", 1));
        var command = new ResyncCommand(Since: null, Resume: first.Resume);
        var resumed = command.ToRequest(App.Clock.GetUtcNow(), "ops-test", budget: null, out var problem);
        Assert.Null(problem);
        Assert.Equal(since, resumed!.Since);
        var rest = await Resync.RunAsync(resumed, progress: null, CancellationToken.None);
        var queued = await Queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal((0, 2, 1, (string?)null), (rest.AttemptsRead, rest.Tasks, rest.Sent, rest.Resume)); // no row of the log read by a scan
        Assert.Equal(["b:1", "a:3"], queued.OrderBy(d => d.Message.EnqueuedAt).Select(d => Key(d.Message.Body.ToString())));
        var audits = await App.Services.GetRequiredService<OpsAudit>().SinceAsync(since, CancellationToken.None).ToListAsync();
        Assert.Equal(2, audits.Count); // the stored plan is not listed as an operator action

        // Re-sync of an older version than applied (the request log can hold one after a newer upsert): completed as stale.
        var stale = await HandleAsync(Task("a", 1), new Dictionary<string, object> { [P.Trigger] = P.ResyncTrigger });
        Assert.Equal("Complete", stale.Kind);
        Assert.Equal(4, Sandbox.Tasks.PutCount);
    }

    [Fact]
    public async Task A_dry_runs_resume_position_goes_on_as_a_dry_run_only()
    {
        var since = App.Clock.GetUtcNow();
        await HandleAsync(Task("a", 1));
        await HandleAsync(Task("b", 1));

        var dry = await Resync.RunAsync(new ResyncRequest(since, DryRun: true, "ops-test", MaxMessages: 1), progress: null, CancellationToken.None);

        Assert.Null(new ResyncCommand(Since: null, Resume: dry.Resume).ToRequest(App.Clock.GetUtcNow(), "ops-test", budget: null, out var problem));
        Assert.StartsWith("resume: the position of a dry run", problem);
        var goOn = new ResyncCommand(Since: null, DryRun: true, Resume: dry.Resume).ToRequest(App.Clock.GetUtcNow(), "ops-test", budget: null, out problem);
        Assert.Null(problem);
        var rest = await Resync.RunAsync(goOn!, progress: null, CancellationToken.None);
        Assert.Equal((1, 1, 2), (dry.Sent, rest.Sent, rest.Tasks));
        Assert.Empty(await Queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Theory]
    [InlineData(null, null, "since is required")]
    [InlineData("2h", "AAAA", "since and resume: give one")]
    [InlineData(null, "not-a-position", "resume: not a position")]
    [InlineData(null, "MjAyNjEyMDV8eHx8MXwy", "resume: not a position")]
    public void A_resync_command_names_what_is_wrong_with_since_or_resume(string? since, string? resume, string expected)
    {
        Assert.Null(new ResyncCommand(since, Resume: resume).ToRequest(App.Clock.GetUtcNow(), "ops-test", budget: null, out var problem));
        Assert.StartsWith(expected, problem);
    }

    private async Task<RecordingSettlement> HandleAsync(string body, IReadOnlyDictionary<string, object>? properties = null)
    {
        App.Clock.Advance(TimeSpan.FromSeconds(2)); // one Fragment slot a second or so: each call finds one
        var settlement = new RecordingSettlement();
        await App.Services.GetRequiredService<ITaskHandler>().HandleAsync(
            new IncomingTask(Guid.NewGuid().ToString("N"), BinaryData.FromString(body), 1, properties ?? new Dictionary<string, object>(), App.Clock.GetUtcNow()),
            settlement,
            CancellationToken.None);
        var settled = await settlement.Settled.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual("DeadLetter", settled.Kind);
        return settled;
    }

    private static string Task(string key, int version) => $$"""{"external_id":"{{key}}","status":"TODO","fields":{"title":"t"},"version":{{version}}}""";

    private static string Key(string body) =>
        $"{System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("external_id").GetString()}:{System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt32()}";
}
