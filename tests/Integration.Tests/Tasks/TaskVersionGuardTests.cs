using System.Diagnostics.Metrics;
using Integration.Operations;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integration.Tests.Tasks;

/// <summary>No task blocked by a version that never landed: refused versions give the mark back, far-future times are invalid, operators can reset.</summary>
public sealed class TaskVersionGuardTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private const string TasksRoute = "tasks";
    private const string ExternalId = "ticket#ID#123";
    private static readonly Guid Uid = Guid.Parse("c6951f29-e70d-04c9-3733-50f90b248db2");

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
        ["Operations:AuditTable"] = $"a{Guid.NewGuid():N}",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
    }

    [Theory]
    [InlineData(422)]
    [InlineData(400)]
    public async Task A_version_Fragment_refused_gives_the_mark_back_so_a_later_lower_version_is_sent(int status)
    {
        await HandleAsync(Task(5, "v5"));
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(status, body: """{"detail":"no"}"""));
        App.Clock.Advance(TimeSpan.FromSeconds(2));

        var refused = await HandleAsync(Task(1000, "v1000"));
        App.Clock.Advance(TimeSpan.FromSeconds(2));
        var lower = await HandleAsync(Task(8, "v8"));
        App.Clock.Advance(TimeSpan.FromSeconds(2));
        var older = await HandleAsync(Task(4, "v4"));

        Assert.Equal(("DeadLetter", $"Rejected{status}"), (refused.Kind, refused.Reason));
        Assert.Equal("Complete", lower.Kind);
        Assert.Equal("v8", Sandbox.Tasks.Get(Uid)!.Title);
        Assert.Equal("Complete", older.Kind); // still older than what Fragment applied: stale
        Assert.Equal(3, Sandbox.Calls.Count(TasksRoute));
        var row = await App.Services.GetRequiredService<TaskVersionStore>().GetAsync(Uid, CancellationToken.None);
        Assert.Equal((8L, 8L), (row!.Applied.Number, row.HighWaterMark.Number));
    }

    [Fact]
    public async Task A_version_dead_lettered_after_repeated_client_errors_gives_the_mark_back()
    {
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(404));
        var properties = new Dictionary<string, object> { [TaskMessageProperties.Attempt] = 2, [TaskMessageProperties.ClientErrorCount] = 2 };

        var refused = await HandleAsync(Task(1000, "v1000"), properties);
        App.Clock.Advance(TimeSpan.FromSeconds(2));
        var lower = await HandleAsync(Task(8, "v8"));

        Assert.Equal(("DeadLetter", "Rejected404"), (refused.Kind, refused.Reason));
        Assert.Equal("Complete", lower.Kind);
        Assert.Equal("v8", Sandbox.Tasks.Get(Uid)!.Title);
    }

    [Fact]
    public async Task An_updated_at_further_ahead_than_MaxFutureSkew_is_invalid_and_a_near_one_is_sent()
    {
        var far = await HandleAsync(TaskAt("9999-01-01T00:00:00Z"));
        var near = await HandleAsync(TaskAt(App.Clock.GetUtcNow().AddMinutes(50).ToString("O")));

        Assert.Equal(("DeadLetter", "InvalidMessage"), (far.Kind, far.Reason));
        Assert.Contains("Tasks:MaxFutureSkew", far.Description, StringComparison.Ordinal);
        Assert.Contains("9999-01-01T00:00:00.0000000+00:00", far.Description, StringComparison.Ordinal);
        Assert.Equal("Complete", near.Kind);
        Assert.Equal(1, Sandbox.Calls.Count(TasksRoute));
    }

    [Fact]
    public async Task Reset_clears_the_row_so_an_older_version_is_sent_and_is_audited()
    {
        await HandleAsync(Task(5, "v5"));
        App.Clock.Advance(TimeSpan.FromSeconds(2));
        var blocked = await HandleAsync(Task(3, "v3"));

        var reset = await App.Services.GetRequiredService<TaskReset>().ResetAsync(Uid, "test-operator", CancellationToken.None);
        var again = await App.Services.GetRequiredService<TaskReset>().ResetAsync(Uid, "test-operator", CancellationToken.None);
        App.Clock.Advance(TimeSpan.FromSeconds(2));
        var sent = await HandleAsync(Task(3, "v3"));

        Assert.Equal("Complete", blocked.Kind);
        Assert.True(reset.Cleared);
        Assert.Equal(5L, reset.Was!.Applied.Number);
        Assert.False(again.Cleared);
        Assert.Equal("Complete", sent.Kind);
        Assert.Equal("v3", Sandbox.Tasks.Get(Uid)!.Title);
        var audit = await App.Services.GetRequiredService<OpsAudit>().SinceAsync(App.Clock.GetUtcNow().AddHours(-1), CancellationToken.None).ToListAsync();
        Assert.Equal(2, audit.Count(a => a.Operation == TaskReset.Operation && a.Actor == "test-operator"));
        Assert.Contains(audit, a => a.Outcome.Contains("cleared applied version 5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stale_completions_are_counted_and_an_older_version_is_a_warning()
    {
        var counted = new List<(long Value, string Kind)>();
        using var listener = new MeterListener();
        var meters = App.Services.GetRequiredService<IMeterFactory>(); // this host's meters only: other tests run beside this one
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TaskMetrics.MeterName && instrument.Name == "integration.tasks.stale_completed" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (counted)
            {
                counted.Add((value, tags.ToArray().Single(t => t.Key == "kind").Value!.ToString()!));
            }
        });
        listener.Start();

        await HandleAsync(Task(5, "v5"));
        App.Clock.Advance(TimeSpan.FromSeconds(2));
        await HandleAsync(Task(4, "v4"));
        await HandleAsync(Task(5, "v5 again"));

        Assert.Equal([(1L, "older"), (1L, "equal")], counted);
        var stale = App.Logs.Lines.Where(l => l.Message.StartsWith("Stale: ", StringComparison.Ordinal)).ToList();
        Assert.Equal([LogLevel.Warning, LogLevel.Information], stale.Select(l => l.Level));
    }

    private async Task<RecordingSettlement> HandleAsync(string body, IReadOnlyDictionary<string, object>? properties = null)
    {
        var settlement = new RecordingSettlement();
        var message = new IncomingTask(Guid.NewGuid().ToString("N"), BinaryData.FromString(body), 1, properties ?? new Dictionary<string, object>(), App.Clock.GetUtcNow());
        await App.Services.GetRequiredService<ITaskHandler>().HandleAsync(message, settlement, CancellationToken.None);
        return await settlement.Settled.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static string Task(int version, string title) =>
        $$"""{"external_id":"{{ExternalId}}","status":"TODO","fields":{"title":"{{title}}"},"version":{{version}}}""";

    private static string TaskAt(string updatedAt) =>
        $$"""{"external_id":"{{ExternalId}}","status":"TODO","fields":{"title":"t"},"updated_at":"{{updatedAt}}"}""";
}
