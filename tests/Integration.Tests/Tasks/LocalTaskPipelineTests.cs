using Integration.Sandbox;
using Integration.Local.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tasks;

/// <summary>The local run's path end to end, one message at a time and in batches: the Azurite queue stand-in, its consumer, the real handler, the sandbox.</summary>
public sealed class LocalTaskPipelineTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private readonly string _queue = $"tasks-{Guid.NewGuid():N}"[..20];

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
        ["LocalTaskQueue:QueueName"] = _queue,
        ["LocalTaskQueue:DeadLetterQueueName"] = $"{_queue}-dlq",
    };

    [Fact]
    public async Task Pushed_tasks_are_upserted_or_dead_lettered_through_the_local_queue()
    {
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        await using var run = await StartAppAsync(AppSettings, services: s => s.AddLocalTaskQueueConsumer());
        var queue = run.Services.GetRequiredService<LocalTaskQueue>();
        await queue.CreateIfNotExistsAsync(CancellationToken.None);

        await queue.SendAsync(BinaryData.FromString("""{"external_id":"ticket#ID#123","fields":{"title":"Pump"},"version":1}"""));
        await queue.SendAsync(BinaryData.FromString("""{"external_id":"ticket#ID#124","version":"one"}"""));
        await run.Clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1)); // the consumer found the queue empty before the sends
        await run.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(1), count: 2); // both settled: the consumer waits on an empty queue again
        var deadLetters = await queue.PeekDeadLettersAsync(10, CancellationToken.None);

        Assert.Equal("Pump", Sandbox.Tasks.Get(Guid.Parse("c6951f29-e70d-04c9-3733-50f90b248db2"))?.Title);
        var dead = Assert.Single(deadLetters);
        Assert.Equal("InvalidMessage", dead.Reason);
        Assert.Contains("version", dead.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tasks_received_together_are_upserted_in_one_batch_request_and_the_invalid_one_dead_lettered()
    {
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        // Batch mode (LocalTaskQueue:Batched): what one receive brings goes to Fragment as one PUT /tasks/batch.
        await using var run = await StartAppAsync(new Dictionary<string, string?>(AppSettings!) { ["LocalTaskQueue:Batched"] = "true" }, services: s => s.AddLocalTaskQueue());
        var queue = run.Services.GetRequiredService<LocalTaskQueue>();
        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await queue.SendAsync(BinaryData.FromString($$"""{"external_id":"{{key}}","fields":{"title":"{{key}}"},"version":1}"""));
        }

        await queue.SendAsync(BinaryData.FromString("""{"external_id":"d","version":"one"}"""));
        var consumer = ActivatorUtilities.CreateInstance<LocalTaskQueueConsumer>(run.Services);
        await consumer.StartAsync(CancellationToken.None);
        await run.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(1)); // the batch is settled: the consumer waits on an empty queue
        await consumer.StopAsync(CancellationToken.None);

        Assert.Equal(1, Sandbox.Calls.Count("tasks"));
        Assert.Equal(3, Sandbox.Tasks.PutCount);
        Assert.Equal("InvalidMessage", Assert.Single(await queue.PeekDeadLettersAsync(10, CancellationToken.None)).Reason);
        Assert.Empty(await queue.ReceiveAsync(10, TimeSpan.FromSeconds(1), CancellationToken.None));
    }
}
