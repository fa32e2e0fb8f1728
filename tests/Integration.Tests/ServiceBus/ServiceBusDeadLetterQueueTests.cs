using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Integration.DeadLetters;
using Integration.Operations;
using Integration.Operations.DeadLetters;
using Integration.ServiceBus;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integration.Tests.ServiceBus;

/// <summary>
/// The dead-letter subqueue adapter under the core's redrive, over a broker stand-in with a 60-second lock on the test's
/// clock: a pass longer than the lock keeps every message it skipped locked (renewed) until it ends, and a lock it
/// cannot keep stops the pass with an error instead of an early "completed".
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusDeadLetterQueueTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(50); // 0.02 messages a second
    private const string Queue = "tasks";

    private readonly TestClock _clock = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private (FakeDeadLetterSubqueue Subqueue, FakeServiceBusClient Client, ServiceBusDeadLetterQueue Queue) DeadLetters()
    {
        var subqueue = new FakeDeadLetterSubqueue(_clock, LockDuration);
        for (var i = 1; i <= 3; i++)
        {
            subqueue.Add($"skip-{i}", "RetriesExhausted");
            subqueue.Add($"move-{i}", "Rejected422");
        }

        var client = new FakeServiceBusClient(subqueue);
        return (subqueue, client, new ServiceBusDeadLetterQueue(client, Queue, _clock));
    }

    private DeadLetterRedrive Redrive(IDeadLetterQueue queue, ServiceBusSender sender)
    {
        var options = Options.Create(new OperationsOptions { AuditTable = $"a{Guid.NewGuid():N}" });
        var audit = new OpsAudit(new TableServiceClient(azurite.ConnectionString), options, _clock);
        return new DeadLetterRedrive(queue, new ServiceBusTaskQueueSender(sender), audit, options, _clock, NullLogger<DeadLetterRedrive>.Instance);
    }

    private static RedriveRequest Rejected(double perSecond) =>
        new(new DeadLetterFilter { Reasons = ["Rejected422"] }, DryRun: false, "ops@example.com", MessagesPerSecond: perSecond);

    [Fact]
    public async Task A_redrive_longer_than_the_lock_moves_every_match_and_never_holds_a_skipped_message_past_its_lock()
    {
        var (subqueue, _, queue) = DeadLetters();
        var sender = new RecordingSender();

        var run = Redrive(queue, sender).RunAsync(Rejected(1 / Interval.TotalSeconds), null, CancellationToken.None);
        for (var wait = 1; wait <= 3; wait++) // 150 s on the clock: skip-1 is held from the start to the end
        {
            await _clock.AdvanceWhenWaitingAsync(Interval, wait);
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(result.Error);
        Assert.Equal("completed", result.Outcome);
        Assert.Equal(3, result.Counts.Moved);
        Assert.Equal(3, result.Counts.Skipped);
        Assert.Equal(["move-1", "move-2", "move-3"], sender.Sent.Select(m => m.MessageId));
        Assert.Equal(["skip-1", "skip-2", "skip-3"], subqueue.MessageIds);
        Assert.Empty(subqueue.Lapsed);
        Assert.True(subqueue.Renewals >= 4, $"skip-1 alone needs three renewals in 150 s; {subqueue.Renewals} were made");
        Assert.Empty(subqueue.Locked); // abandoned when the pass ended
    }

    [Fact]
    public async Task A_lock_lost_during_a_redrive_stops_it_with_an_error_naming_the_message_not_with_success()
    {
        var (subqueue, _, queue) = DeadLetters();
        subqueue.LoseLockOnRenewal = 1; // skip-1
        var sender = new RecordingSender();

        var run = Redrive(queue, sender).RunAsync(Rejected(1 / Interval.TotalSeconds), null, CancellationToken.None);
        await _clock.AdvanceWhenWaitingAsync(Interval);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(result.Error);
        Assert.StartsWith("failed: ", result.Outcome, StringComparison.Ordinal);
        Assert.Contains("skip-1", result.Error, StringComparison.Ordinal);
        Assert.Contains("run it again", result.Error, StringComparison.Ordinal);
        Assert.Equal(["move-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Equal(["skip-1", "skip-2", "move-2", "skip-3", "move-3"], subqueue.MessageIds);
        Assert.Empty(subqueue.Locked);
    }

    [Fact]
    public async Task Cancelling_stops_between_messages_and_releases_everything_the_pass_held()
    {
        var (subqueue, _, queue) = DeadLetters();
        using var cancel = new CancellationTokenSource();
        var sender = new RecordingSender { OnSend = _ => cancel.Cancel() };

        var result = await Redrive(queue, sender).RunAsync(Rejected(100), null, cancel.Token);

        Assert.True(result.Cancelled);
        Assert.Null(result.Error);
        Assert.Equal(1, result.Counts.Moved);
        Assert.Equal(["move-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Equal(["skip-1", "skip-2", "move-2", "skip-3", "move-3"], subqueue.MessageIds);
        Assert.Empty(subqueue.Locked);
        Assert.Empty(subqueue.Lapsed);
    }

    [Fact]
    public async Task The_pass_reads_the_dead_letter_subqueue_one_locked_message_at_a_time_and_peeking_pages_through_it()
    {
        var subqueue = new FakeDeadLetterSubqueue(_clock, LockDuration);
        for (var i = 0; i < 230; i++)
        {
            subqueue.Add($"m-{i:D3}", "RetriesExhausted", new Dictionary<string, object> { ["HttpStatus"] = 503 });
        }

        var client = new FakeServiceBusClient(subqueue);
        var queue = new ServiceBusDeadLetterQueue(client, Queue, _clock);

        var peeked = new List<DeadLetteredMessage>();
        await foreach (var message in queue.PeekAsync(CancellationToken.None))
        {
            peeked.Add(message);
        }

        await using (var pass = queue.ReceiveAsync(CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.True(await pass.MoveNextAsync());
            Assert.Equal("m-000", pass.Current.Message.MessageId);
            Assert.Equal(["m-000"], subqueue.Locked);
        }

        Assert.Equal(230, peeked.Count);
        Assert.Equal(Enumerable.Range(0, 230).Select(i => $"m-{i:D3}"), peeked.Select(m => m.MessageId));
        Assert.Equal("RetriesExhausted", peeked[0].Reason);
        Assert.Equal("RetriesExhausted for m-000", peeked[0].Description);
        Assert.Equal(503, peeked[0].HttpStatus);
        Assert.Empty(subqueue.Locked);
        Assert.All(client.Receivers, r => Assert.Equal((Queue, SubQueue.DeadLetter), (r.Queue, r.Options.SubQueue)));
        var receiving = client.Receivers[^1].Options;
        Assert.Equal((ServiceBusReceiveMode.PeekLock, 0), (receiving.ReceiveMode, receiving.PrefetchCount));
    }
}
