using System.Text;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tasks;

public sealed class TaskHandlerTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private const string TasksRoute = "tasks";
    private const string ExternalId = "ticket#ID#123";
    private static readonly Guid Uid = Guid.Parse("c6951f29-e70d-04c9-3733-50f90b248db2"); // Python: uuid.UUID(md5(b"ticket#ID#123").hexdigest())

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
    }

    [Fact]
    public async Task Valid_task_is_upserted_completed_and_logged()
    {
        var settled = await HandleAsync(Task(version: 1, title: "Fix the pump"));

        Assert.Equal("Complete", settled.Kind);
        var stored = Sandbox.Tasks.Get(Uid);
        Assert.NotNull(stored);
        Assert.Equal("Fix the pump", stored.Title);
        Assert.StartsWith("Integration/", Sandbox.Calls.For(TasksRoute)[0].Headers["user-agent"]);
        var logged = await App.Services.GetRequiredService<RequestLog>().SinceAsync(App.Clock.GetUtcNow().AddMinutes(-1), CancellationToken.None).ToListAsync();
        Assert.Equal(200, Assert.Single(logged).Status);
    }

    [Fact]
    public async Task Invalid_message_is_dead_lettered_at_once_saying_what_is_wrong()
    {
        var settled = await HandleAsync("""{"external_id":"x","status":"OPEN","version":1}""");

        Assert.Equal("DeadLetter", settled.Kind);
        Assert.Equal("InvalidMessage", settled.Reason);
        Assert.Contains("status", settled.Description, StringComparison.Ordinal);
        Assert.Equal(0, Sandbox.Calls.Count(TasksRoute));
    }

    [Fact]
    public async Task Older_or_equal_version_is_completed_without_a_call()
    {
        await HandleAsync(Task(version: 5, title: "v5"));
        App.Clock.Advance(TimeSpan.FromSeconds(2));

        var older = await HandleAsync(Task(version: 4, title: "v4"));
        var equal = await HandleAsync(Task(version: 5, title: "v5 again"));

        Assert.All(new[] { older, equal }, settled => Assert.Equal("Complete", settled.Kind));
        Assert.Equal(1, Sandbox.Tasks.PutCount);
        Assert.Equal("v5", Sandbox.Tasks.Get(Uid)!.Title);
    }

    [Theory]
    [InlineData(1, 2)] // the older one is in flight when the newer arrives
    [InlineData(2, 1)] // the newer one is in flight when the older arrives
    public async Task Two_versions_processed_at_once_leave_the_newer_applied(int first, int second)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Sandbox.Faults.Enqueue(TasksRoute, new Fault { Gate = gate });

        var inFlight = HandleAsync(Task(first, $"v{first}"));
        await Sandbox.Calls.WaitForCallAsync(TasksRoute, 1, CancellationToken.None);
        var meanwhile = await HandleAsync(Task(second, $"v{second}"));
        gate.SetResult();
        await inFlight;
        App.Clock.Advance(meanwhile.Delay ?? TimeSpan.Zero); // the delayed copy comes back
        var redelivered = meanwhile.Kind == "Reschedule" ? await HandleAsync(Task(second, $"v{second}")) : meanwhile;

        // Never sent while the other version was on the wire: a newer one comes back later; an older one is obsolete
        // at once, since the newer one in flight may already be applied.
        Assert.Equal(first < second ? "Reschedule" : "Complete", meanwhile.Kind);
        Assert.Equal("Complete", redelivered.Kind);
        Assert.Equal(first < second ? 2 : 1, Sandbox.Tasks.PutCount);
        Assert.Equal("v2", Sandbox.Tasks.Get(Uid)!.Title);
    }

    [Fact]
    public async Task A_task_versioned_by_number_then_by_time_is_dead_lettered_as_invalid_without_a_call()
    {
        await HandleAsync(Task(version: 3, title: "v3"));
        App.Clock.Advance(TimeSpan.FromSeconds(2));

        var settled = await HandleAsync($$"""{"external_id":"{{ExternalId}}","status":"TODO","fields":{"title":"t"},"updated_at":"2026-11-27T06:00:00Z"}""");

        Assert.Equal("DeadLetter", settled.Kind);
        Assert.Equal("InvalidMessage", settled.Reason);
        Assert.Contains("use one kind (version or updated_at) per task", settled.Description, StringComparison.Ordinal);
        Assert.Equal(1, Sandbox.Tasks.PutCount);
    }

    [Fact]
    public async Task Unprocessable_is_dead_lettered_at_once_with_status_and_body()
    {
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(422, body: """{"detail":[{"loc":["body","fields","title"],"msg":"field required"}]}"""));

        var settled = await HandleAsync(Task(1, "t"));

        Assert.Equal("DeadLetter", settled.Kind);
        Assert.Equal("Rejected422", settled.Reason);
        Assert.Equal(422, settled.Properties[TaskMessageProperties.HttpStatus]);
        Assert.Contains("field required", (string)settled.Properties[TaskMessageProperties.PartnerErrorBody], StringComparison.Ordinal);
        Assert.Equal(Uid.ToString("D"), settled.Properties[TaskMessageProperties.TaskUid]);
        Assert.False(string.IsNullOrEmpty((string)settled.Properties[TaskMessageProperties.PartnerRequestId]));
        Assert.Equal(1, Sandbox.Calls.Count(TasksRoute));
    }

    [Fact]
    public async Task Not_found_three_times_is_dead_lettered_after_delayed_retries()
    {
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(404), Fault.WithStatus(404), Fault.WithStatus(404));
        IReadOnlyDictionary<string, object> properties = new Dictionary<string, object>();
        var settlements = new List<RecordingSettlement>();
        for (var delivery = 0; delivery < 3; delivery++)
        {
            App.Clock.Advance(TimeSpan.FromSeconds(2)); // the delayed copy comes back later; the rate budget has refilled
            var settled = await HandleAsync(Task(1, "t"), properties);
            settlements.Add(settled);
            properties = settled.Properties;
        }

        Assert.Equal("Reschedule, Reschedule, DeadLetter", string.Join(", ", settlements.Select(s => s.Kind)));
        Assert.Equal("Rejected404", settlements[2].Reason);
        Assert.Equal(3, settlements[2].Properties[TaskMessageProperties.Attempt]);
        Assert.True(settlements[0].Delay > TimeSpan.Zero);
    }

    [Fact]
    public async Task Unauthorized_delays_the_message_instead_of_dead_lettering_it()
    {
        Sandbox.RotateFragmentToken("revoked-and-replaced");

        var settled = await HandleAsync(Task(1, "t"));

        Assert.Equal("Reschedule", settled.Kind);
        Assert.Equal(TimeSpan.FromMinutes(5), settled.Delay);
        Assert.Contains(App.Logs.Lines, line => line.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.DoesNotContain(new SandboxOptions().FragmentApiToken, App.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_schedules_a_copy_no_earlier_than_Retry_After_and_pauses_sending()
    {
        var retryAfter = TimeSpan.FromSeconds(40); // longer than Fragment:RetryMaxDelay: deferred, not waited for in-process
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(429, retryAfter));

        var settled = await HandleAsync(Task(1, "t"));

        Assert.Equal("Reschedule", settled.Kind);
        Assert.True(settled.Delay >= retryAfter, $"{settled.Delay}");
        Assert.Equal(429, settled.Properties[TaskMessageProperties.HttpStatus]);
        Assert.Equal(1, settled.Properties[TaskMessageProperties.Attempt]);
        Assert.Equal(1, Sandbox.Calls.Count(TasksRoute));
        var next = await App.Services.GetRequiredService<Integration.Tasks.RateLimiting.DistributedRateLimiter>().NextAvailableAsync(CancellationToken.None);
        Assert.True(next >= App.Clock.GetUtcNow() + retryAfter - TimeSpan.FromSeconds(1), $"sending resumes at {next}");
    }

    [Fact]
    public async Task A_quick_retry_takes_its_own_slot_honours_a_pause_set_by_another_instance_and_is_logged()
    {
        var start = App.Clock.GetUtcNow();
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(429, TimeSpan.FromSeconds(3))); // short: retried in-process

        var handling = HandleAsync(Task(1, "t"));
        await App.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(3)); // the client's retry honours Retry-After
        var limiter = App.Services.GetRequiredService<Integration.Tasks.RateLimiting.DistributedRateLimiter>();
        Assert.Equal(start + TimeSpan.FromSeconds(3), await limiter.NextAvailableAsync(CancellationToken.None)); // the 429 paused every instance
        await limiter.PauseUntilAsync(start + TimeSpan.FromSeconds(10), CancellationToken.None); // another instance's 429 meanwhile
        App.Clock.Advance(TimeSpan.FromSeconds(3));
        await App.Clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(7)); // the retry waits for the shared pause
        var settled = await handling;

        Assert.Equal("Complete", settled.Kind);
        Assert.Equal(2, Sandbox.Calls.Count(TasksRoute));
        var logged = await App.Services.GetRequiredService<RequestLog>().SinceAsync(start, CancellationToken.None).ToListAsync();
        Assert.Equal([429, 200], logged.Select(row => row.Status));
        Assert.Equal(start + TimeSpan.FromSeconds(10), logged[1].At);
        Assert.All(logged, row => Assert.Equal(Uid.ToString("D"), row.TaskUid));
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
}
