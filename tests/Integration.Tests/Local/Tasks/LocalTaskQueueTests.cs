using System.Diagnostics;
using System.Text;
using Integration.Tasks;
using Integration.Local.Tasks;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Tests.Local.Tasks;

/// <summary>
/// The Service Bus stand-in over Azurite Storage Queues, driven through <see cref="LocalTaskQueueConsumer"/> as the
/// local run drives it. Azurite hides and shows messages on its own wall clock, so the tests that wait for a message
/// to reappear use the real clock with the shortest delays Storage Queues allow (1 s, their resolution is whole
/// seconds) and bounded waits; the first test runs the consumer's polling on a fake clock.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalTaskQueueTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>Azurite's clock (milliseconds) and the test's monotonic clock may disagree by a few milliseconds.</summary>
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMilliseconds(50);

    private readonly List<LocalTaskQueueHost> _queues = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sent_task_reaches_the_handler_as_sent_on_its_first_delivery_and_complete_deletes_it()
    {
        var clock = new TestClock();
        var queues = Queues(clock, new() { ["LocalTaskQueue:PollInterval"] = "00:00:01" });
        var handler = new RecordingTaskHandler((_, settlement, _) => settlement.CompleteAsync(CancellationToken.None));
        await queues.StartConsumerAsync(handler);
        await clock.WaitForTimerAsync(OneSecond); // the consumer found the queue empty and waits on the injected clock

        var body = Encoding.UTF8.GetBytes("""{"task":"sync","uid":"ab12"}""");
        var properties = new Dictionary<string, object>
        {
            ["kind"] = "sync",
            ["priority"] = 5,
            ["big"] = 5_000_000_000L,
            ["ratio"] = 1.5,
            ["urgent"] = true,
        };
        var sentAt = clock.GetUtcNow();
        var messageId = await queues.Queue.SendAsync(new BinaryData(body), properties);
        Assert.Equal(0, handler.Calls);
        clock.Advance(OneSecond);

        var handled = await handler.HandledAsync(1);

        Assert.Null(handled.Error);
        var message = handled.Message;
        Assert.Equal(messageId, message.MessageId);
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal(1, message.DeliveryCount);
        Assert.Equal(sentAt, message.EnqueuedAt);
        Assert.Equal(properties.OrderBy(p => p.Key), message.Properties.OrderBy(p => p.Key));
        Assert.IsType<int>(message.Properties["priority"]);
        Assert.Equal(0, await queues.CountAsync());
        Assert.Empty(await queues.Queue.PeekDeadLettersAsync(32, CancellationToken.None));
        var line = await queues.Logs.WaitForAsync(l => l.Message.StartsWith("Handling task message", StringComparison.Ordinal));
        Assert.Contains($"MessageId={messageId}", line.Scopes.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_lettered_task_keeps_reason_description_and_overlaid_properties_and_leaves_the_queue()
    {
        var queues = Queues();
        var handler = new RecordingTaskHandler((_, settlement, _) => settlement.DeadLetterAsync(
            "InvalidTask",
            "uid is missing",
            new Dictionary<string, object> { ["attempt"] = 2, ["field"] = "uid" },
            CancellationToken.None));
        var before = DateTimeOffset.UtcNow;
        var messageId = await queues.Queue.SendAsync(
            BinaryData.FromString("""{"task":"sync"}"""),
            new Dictionary<string, object> { ["source"] = "test", ["attempt"] = 1 });
        await queues.StartConsumerAsync(handler);

        var handled = await handler.HandledAsync(1);

        Assert.Null(handled.Error);
        var dead = Assert.Single(await queues.Queue.PeekDeadLettersAsync(32, CancellationToken.None));
        Assert.Equal(messageId, dead.MessageId);
        Assert.Equal("""{"task":"sync"}""", dead.Body.ToString());
        Assert.Equal("InvalidTask", dead.Reason);
        Assert.Equal("uid is missing", dead.Description);
        Assert.Equal(
            new Dictionary<string, object> { ["source"] = "test", ["attempt"] = 2, ["field"] = "uid" }.OrderBy(p => p.Key),
            dead.Properties.OrderBy(p => p.Key));
        Assert.InRange(dead.DeadLetteredAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(0, await queues.CountAsync());
    }

    /// <remarks>
    /// The copy is due 1 s after it is sent (the shortest delay a Storage Queue keeps, it counts whole seconds). The
    /// consumer polls every 100 ms, so a copy that showed early would be handled early: the second call must start at
    /// least the delay after the first one began. Right after the reschedule the queue holds exactly the invisible copy.
    /// The second call is awaited with a 10 s bound.
    /// </remarks>
    [Fact]
    public async Task Rescheduled_task_comes_back_after_the_delay_with_the_same_id_overlaid_properties_and_a_fresh_delivery_count()
    {
        var queues = Queues();
        var handler = new RecordingTaskHandler((_, settlement, call) => call == 1
            ? settlement.RescheduleAsync(OneSecond, new Dictionary<string, object> { ["retry"] = 1, ["reason"] = "rate-limited" }, CancellationToken.None)
            : settlement.CompleteAsync(CancellationToken.None));
        var messageId = await queues.Queue.SendAsync(
            BinaryData.FromString("task"),
            new Dictionary<string, object> { ["source"] = "test", ["retry"] = 0 });
        await queues.StartConsumerAsync(handler);

        var first = await handler.HandledAsync(1);
        var peeked = (await queues.Raw.PeekMessagesAsync(32)).Value;
        var count = await queues.CountAsync();
        var checkedAfter = Stopwatch.GetElapsedTime(first.Started);

        Assert.Null(first.Error);
        if (checkedAfter < OneSecond - ClockTolerance)
        {
            Assert.Empty(peeked); // nothing visible: the original is gone and the copy not yet due
            Assert.Equal(1, count); // ... but the copy is there
        }

        var second = await handler.HandledAsync(2, TimeSpan.FromSeconds(10));
        Assert.Null(second.Error);
        Assert.InRange(Stopwatch.GetElapsedTime(first.Started, second.Started), OneSecond - ClockTolerance, TimeSpan.FromSeconds(10));
        Assert.Equal(messageId, second.Message.MessageId);
        Assert.Equal("task", second.Message.Body.ToString());
        Assert.Equal(1, second.Message.DeliveryCount);
        Assert.Equal(
            new Dictionary<string, object> { ["source"] = "test", ["retry"] = 1, ["reason"] = "rate-limited" }.OrderBy(p => p.Key),
            second.Message.Properties.OrderBy(p => p.Key));
        Assert.True(second.Message.EnqueuedAt > first.Message.EnqueuedAt);
        Assert.Equal(0, await queues.CountAsync());
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Task_whose_handler_throws_comes_back_after_the_visibility_timeout_as_delivery_two()
    {
        var queues = Queues(overrides: new() { ["LocalTaskQueue:VisibilityTimeout"] = "00:00:01" });
        var handler = new RecordingTaskHandler((_, settlement, call) => call == 1
            ? throw new InvalidOperationException("partner down")
            : settlement.CompleteAsync(CancellationToken.None));
        var messageId = await queues.Queue.SendAsync(BinaryData.FromString("task"));
        await queues.StartConsumerAsync(handler);

        var first = await handler.HandledAsync(1);
        var second = await handler.HandledAsync(2, TimeSpan.FromSeconds(10));

        Assert.IsType<InvalidOperationException>(first.Error);
        Assert.Equal(1, first.Message.DeliveryCount);
        Assert.Null(second.Error);
        Assert.Equal(messageId, second.Message.MessageId);
        Assert.Equal(2, second.Message.DeliveryCount);
        Assert.InRange(Stopwatch.GetElapsedTime(first.Started, second.Started), OneSecond - ClockTolerance, TimeSpan.FromSeconds(10));
        var error = Assert.Single(queues.Logs.Lines, l => l.Level == LogLevel.Error);
        Assert.Contains("partner down", error.Exception, StringComparison.Ordinal);
        Assert.Contains($"MessageId={messageId}", error.Scopes.Single(), StringComparison.Ordinal);
        Assert.Equal(0, await queues.CountAsync());
        Assert.Empty(await queues.Queue.PeekDeadLettersAsync(32, CancellationToken.None));
    }

    [Fact]
    public async Task Task_delivered_more_than_max_delivery_count_times_is_dead_lettered_without_reaching_the_handler()
    {
        var queues = Queues(overrides: new() { ["LocalTaskQueue:MaxDeliveryCount"] = "1" });
        var handler = new RecordingTaskHandler((_, settlement, _) => settlement.CompleteAsync(CancellationToken.None));
        var messageId = await queues.Queue.SendAsync(BinaryData.FromString("poison"), new Dictionary<string, object> { ["source"] = "test" });
        var firstDelivery = Assert.Single(await queues.Queue.ReceiveAsync(1, OneSecond, CancellationToken.None)); // delivery 1, never settled
        Assert.Equal(1, firstDelivery.Message.DeliveryCount);
        await queues.StartConsumerAsync(handler);

        var dead = Assert.Single(await queues.WaitForDeadLettersAsync());

        Assert.Equal(messageId, dead.MessageId);
        Assert.Equal("poison", dead.Body.ToString());
        Assert.Equal(LocalTaskQueueConsumer.MaxDeliveryCountExceeded, dead.Reason);
        Assert.Equal("Message could not be consumed after 1 delivery attempts.", dead.Description);
        Assert.Equal("test", dead.Properties["source"]);
        Assert.Equal(0, handler.Calls);
        Assert.Equal(0, await queues.CountAsync());
    }

    [Fact]
    public async Task Second_settlement_of_a_message_throws_and_changes_nothing()
    {
        var queues = Queues();
        var refused = new List<Exception>();
        var handler = new RecordingTaskHandler(async (_, settlement, _) =>
        {
            await settlement.CompleteAsync(CancellationToken.None);
            refused.Add(await Assert.ThrowsAsync<InvalidOperationException>(() => settlement.CompleteAsync(CancellationToken.None)));
            refused.Add(await Assert.ThrowsAsync<InvalidOperationException>(
                () => settlement.DeadLetterAsync("Late", "too late", new Dictionary<string, object>(), CancellationToken.None)));
            refused.Add(await Assert.ThrowsAsync<InvalidOperationException>(
                () => settlement.RescheduleAsync(TimeSpan.Zero, new Dictionary<string, object>(), CancellationToken.None)));
        });
        await queues.Queue.SendAsync(BinaryData.FromString("task"));
        await queues.StartConsumerAsync(handler);

        var handled = await handler.HandledAsync(1);

        Assert.Null(handled.Error);
        Assert.Equal(3, refused.Count);
        Assert.All(refused, e => Assert.Contains("already settled", e.Message, StringComparison.Ordinal));
        Assert.Equal(0, await queues.CountAsync());
        Assert.Empty(await queues.Queue.PeekDeadLettersAsync(32, CancellationToken.None));
    }

    [Fact]
    public async Task Queue_message_that_is_not_an_envelope_is_dead_lettered_as_it_is()
    {
        var queues = Queues();
        var handler = new RecordingTaskHandler((_, settlement, _) => settlement.CompleteAsync(CancellationToken.None));
        await queues.Queue.CreateIfNotExistsAsync(CancellationToken.None);
        await queues.Raw.SendMessageAsync("""{"task":"sync"}""");
        await queues.StartConsumerAsync(handler);

        var dead = Assert.Single(await queues.WaitForDeadLettersAsync());

        Assert.Equal(LocalTaskQueue.InvalidEnvelope, dead.Reason);
        Assert.Equal("""{"task":"sync"}""", dead.Body.ToString());
        Assert.Equal(0, handler.Calls);
        Assert.Equal(0, await queues.CountAsync());
        await queues.Logs.WaitForAsync(l => l.Level == LogLevel.Warning && l.Message.Contains("is not a task envelope", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Consumer_refuses_to_start_against_anything_but_Azurite()
    {
        var queues = Queues(overrides: new()
        {
            ["Storage:ConnectionString"] = "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=a2V5;EndpointSuffix=core.windows.net",
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => queues.StartConsumerAsync(new RecordingTaskHandler((_, _, _) => Task.CompletedTask)));

        Assert.Contains("Azurite", error.Message, StringComparison.Ordinal);
    }

    private LocalTaskQueueHost Queues(TimeProvider? time = null, Dictionary<string, string?>? overrides = null)
    {
        var queues = new LocalTaskQueueHost(azurite, time ?? TimeProvider.System, overrides);
        _queues.Add(queues);
        return queues;
    }
}
