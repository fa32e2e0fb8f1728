using Integration.Sandbox;
using Integration.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tasks;

/// <summary>Batch mode against the sandbox's <c>PUT /tasks/batch</c> (all or nothing; a batch is one request of the budget).</summary>
public sealed class TaskBatchHandlerTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private const string TasksRoute = "tasks";

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Burst"] = "20", // the requests of one test go back to back: the budget is not what is tested here
        ["Tasks:BatchSize"] = "10",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
    }

    [Fact]
    public async Task A_batch_of_tasks_is_one_request_that_completes_every_message_and_logs_every_task()
    {
        var settled = await HandleAsync([.. Enumerable.Range(1, 5).Select(n => Task($"t{n}", 1))]);

        Assert.All(settled, s => Assert.Equal("Complete", s.Kind));
        Assert.Equal(1, Sandbox.Calls.Count(TasksRoute));
        Assert.Equal(5, Sandbox.Tasks.PutCount);
        var log = await App.Services.GetRequiredService<RequestLog>().SinceAsync(App.Clock.GetUtcNow().AddMinutes(-1), CancellationToken.None).ToListAsync();
        Assert.Equal(5, log.Count);
        Assert.All(log, row => Assert.Equal((200, "PUT /tasks/batch"), (row.Status ?? 0, row.Endpoint)));
        Assert.Equal(5, log.Select(row => row.TaskUid).Distinct().Count());
        Assert.All(log, row => Assert.NotNull(row.MessageBody)); // a re-sync can send each again
    }

    [Fact]
    public async Task One_bad_task_in_a_refused_batch_is_found_by_single_puts_and_does_not_dead_letter_its_neighbours()
    {
        string[] bodies = [Task("a", 1), """{"external_id":"no-title","status":"TODO","fields":{},"version":1}""", Task("b", 1), Task("c", 1)];

        var settled = await HandleAsync(bodies);

        Assert.Equal(["Complete", "DeadLetter", "Complete", "Complete"], settled.Select(s => s.Kind));
        Assert.Equal("Rejected422", settled[1].Reason);
        Assert.Contains("field required", (string)settled[1].Properties[TaskMessageProperties.PartnerErrorBody], StringComparison.Ordinal);
        Assert.Equal([422, 200, 422, 200, 200], Sandbox.Calls.For(TasksRoute).Select(c => c.Status)); // the batch, then one by one
        Assert.Equal(3, Sandbox.Tasks.PutCount);
    }

    [Fact]
    public async Task A_batch_that_stays_unavailable_delays_every_message_with_its_attempt_counted()
    {
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(503), Fault.WithStatus(503), Fault.WithStatus(503)); // the quick retries too

        var handling = HandleAsync([Task("a", 1), Task("b", 1), Task("c", 1)]);
        for (var retry = 1; retry <= 2; retry++)
        {
            var logged = await App.Logs.WaitForAsync(l => l.Property<int>("RetryNumber") == retry);
            await App.Clock.AdvanceWhenWaitingAsync(logged.Property<TimeSpan>("RetryDelay"));
        }

        var settled = await handling;

        Assert.All(settled, s =>
        {
            Assert.Equal("Reschedule", s.Kind);
            Assert.Equal(503, s.Properties[TaskMessageProperties.HttpStatus]);
            Assert.Equal(1, s.Properties[TaskMessageProperties.Attempt]);
        });
        Assert.Equal(3, Sandbox.Calls.Count(TasksRoute));
        Assert.Equal(0, Sandbox.Tasks.PutCount);
        Assert.DoesNotContain(App.Logs.Lines, line => line.Level >= Microsoft.Extensions.Logging.LogLevel.Error); // an expected, delayed retry: warnings only
    }

    [Fact]
    public async Task Invalid_stale_and_same_task_messages_are_settled_before_the_batch_which_holds_the_rest()
    {
        Assert.Equal("Complete", (await HandleAsync([Task("old", 5)]))[0].Kind);
        var calls = Sandbox.Calls.Count(TasksRoute);

        var settled = await HandleAsync(["not json", Task("old", 4), Task("x", 2), Task("x", 3), Task("y", 1), Task("z", 1)]);

        Assert.Equal(("DeadLetter", "InvalidMessage"), (settled[0].Kind, settled[0].Reason));
        Assert.Equal("Complete", settled[1].Kind); // stale: no call
        Assert.Equal("Complete", settled[2].Kind); // x v2 claimed first and sent
        Assert.Equal("Reschedule", settled[3].Kind); // x v3 finds x claimed: back later, never sent beside v2
        Assert.All(settled[4..], s => Assert.Equal("Complete", s.Kind));
        Assert.Equal(calls + 1, Sandbox.Calls.Count(TasksRoute));
    }

    [Fact]
    public async Task Tasks_beyond_the_batch_size_go_in_further_batches()
    {
        var settled = await HandleAsync([.. Enumerable.Range(1, 23).Select(n => Task($"t{n}", 1))]);

        Assert.All(settled, s => Assert.Equal("Complete", s.Kind));
        Assert.Equal(3, Sandbox.Calls.Count(TasksRoute)); // 10 + 10 + 3
        Assert.Equal(23, Sandbox.Tasks.PutCount);
    }

    [Fact]
    public async Task A_later_batch_never_sends_a_task_whose_claim_was_lost_while_an_earlier_batch_waited()
    {
        // Batch 1 (t1..t10) meets 503s; meanwhile an operator resets t11, so the renewal finds its claim gone while t12's
        // is renewed. Batch 2 must send t12 alone and delay t11, although t11's claim has time left on this handler's clock.
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(503), Fault.WithStatus(503), Fault.WithStatus(503));
        var store = App.Services.GetRequiredService<TaskVersionStore>();
        var (t11, t12) = (Integration.Tasks.Messages.FragmentUid.FromExternalId("t11"), Integration.Tasks.Messages.FragmentUid.FromExternalId("t12"));
        var renewEvery = App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TasksOptions>>().Value.ClaimDuration / 3;
        var handling = HandleAsync([.. Enumerable.Range(1, 12).Select(n => Task($"t{n}", 1))]);
        var first = await App.Logs.WaitForAsync(l => l.Property<int>("RetryNumber") == 1);
        var claimedUntil = (await store.GetAsync(t12, CancellationToken.None))!.ClaimedUntil;
        await store.ResetAsync(t11, CancellationToken.None);

        await App.Clock.WaitForTimerAsync(first.Property<TimeSpan>("RetryDelay"));
        App.Clock.Advance(renewEvery); // the renewal runs (t11 found gone, t12 extended), and the retry
        for (var i = 0; i < 300 && (await store.GetAsync(t12, CancellationToken.None))!.ClaimedUntil <= claimedUntil; i++)
        {
            await System.Threading.Tasks.Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System); // the renewals land on Azurite, t11's before t12's
        }

        var second = await App.Logs.WaitForAsync(l => l.Property<int>("RetryNumber") == 2);
        await App.Clock.AdvanceWhenWaitingAsync(second.Property<TimeSpan>("RetryDelay"));
        var settled = await handling;

        Assert.All(settled[..10], s => Assert.Equal("Reschedule", s.Kind)); // the unavailable batch
        Assert.Equal("Reschedule", settled[10].Kind); // lost claim: delayed, never sent
        Assert.Equal("Complete", settled[11].Kind);
        Assert.Null(Sandbox.Tasks.Get(t11));
        Assert.NotNull(Sandbox.Tasks.Get(t12));
        Assert.Contains(App.Logs.Lines, l => l.Message.Contains("expired before it was sent", StringComparison.Ordinal));
    }

    private async Task<RecordingSettlement[]> HandleAsync(string[] bodies)
    {
        App.Clock.Advance(TimeSpan.FromSeconds(30)); // a full rate budget for each call
        var batch = bodies.Select(body => (Message: new IncomingTask(Guid.NewGuid().ToString("N"), BinaryData.FromString(body), 1, new Dictionary<string, object>(), App.Clock.GetUtcNow()), Settlement: new RecordingSettlement())).ToArray();
        await App.Services.GetRequiredService<ITaskBatchHandler>().HandleAsync([.. batch.Select(b => (b.Message, (ITaskSettlement)b.Settlement))], CancellationToken.None);
        return await System.Threading.Tasks.Task.WhenAll(batch.Select(b => b.Settlement.Settled.WaitAsync(TimeSpan.FromSeconds(30))));
    }

    private static string Task(string key, int version) => $$"""{"external_id":"{{key}}","status":"TODO","fields":{"title":"{{key}} v{{version}}"},"version":{{version}}}""";
}
