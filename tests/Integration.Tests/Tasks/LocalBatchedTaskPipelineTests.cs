using Integration.Sandbox;
using Integration.Tasks.Local;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tasks;

/// <summary>The local run in batch mode (<c>LocalTaskQueue:Batched</c>): what one receive brings goes to Fragment as one <c>PUT /tasks/batch</c>.</summary>
public sealed class LocalBatchedTaskPipelineTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private readonly string _queue = $"batch-{Guid.NewGuid():N}"[..20];

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
        ["LocalTaskQueue:QueueName"] = _queue,
        ["LocalTaskQueue:DeadLetterQueueName"] = $"{_queue}-dlq",
        ["LocalTaskQueue:Batched"] = "true",
    };

    [Fact]
    public async Task Tasks_received_together_are_upserted_in_one_batch_request_and_the_invalid_one_dead_lettered()
    {
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        await using var run = await StartAppAsync(AppSettings, services: s => s.AddLocalTaskQueue());
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
