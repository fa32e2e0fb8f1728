using Azure.Data.Tables;
using Integration.DeadLetters;
using Integration.Operations;
using Integration.Operations.DeadLetters;
using Integration.ServiceBus;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integration.Tests.ServiceBus;

/// <summary>
/// A redrive over the Service Bus adapter sends each dead-letter at most once per pass: the copy, dead-lettered again
/// by the broker while the pass runs (a partner still answering 422), gets a new sequence number and would otherwise be
/// taken again by the same pass.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusRedriveOncePerPassTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_copy_dead_lettered_again_during_the_pass_stays_for_the_next_command()
    {
        var subqueue = new FakeDeadLetterSubqueue(_clock, TimeSpan.FromSeconds(60));
        subqueue.Add("task-1", "Rejected422");
        // The handler dead-letters the copy again at once, keeping its application properties, as the broker does.
        var sender = new RecordingSender { OnSend = copy => subqueue.Add(copy.MessageId, "Rejected422", copy.ApplicationProperties) };
        var redrive = Redrive(new ServiceBusDeadLetterQueue(new FakeServiceBusClient(subqueue), "tasks", _clock), sender);
        var request = new RedriveRequest(new DeadLetterFilter { MessageIds = ["task-1"] }, DryRun: false, "ops@example.com", MessagesPerSecond: 1 / Interval.TotalSeconds);

        var run = redrive.RunAsync(request, null, CancellationToken.None);
        await _clock.AdvanceWhenWaitingAsync(Interval); // the pass's turn to look at the next message
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["task-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Equal((1, 1, 0), (result.Counts.Moved, result.Counts.LeftForNextPass, result.Counts.LoopGuarded));
        Assert.Equal("completed", result.Outcome);
        Assert.Equal(["task-1"], subqueue.MessageIds);
        Assert.Empty(subqueue.Locked); // released when the pass ended

        var next = redrive.RunAsync(request, null, CancellationToken.None);
        await _clock.AdvanceWhenWaitingAsync(Interval, 2);
        var second = await next.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["task-1", "task-1"], sender.Sent.Select(m => m.MessageId));
        Assert.Equal(2, sender.Sent[^1].ApplicationProperties[DeadLetterProperties.RedriveCount]);
        Assert.Equal(second.Pass!.Id, sender.Sent[^1].ApplicationProperties[DeadLetterProperties.RedrivePass]);
    }

    private DeadLetterRedrive Redrive(IDeadLetterQueue queue, Azure.Messaging.ServiceBus.ServiceBusSender sender)
    {
        var options = Options.Create(new OperationsOptions { AuditTable = $"a{Guid.NewGuid():N}" });
        var audit = new OpsAudit(new TableServiceClient(azurite.ConnectionString), options, _clock);
        return new DeadLetterRedrive(queue, new ServiceBusTaskQueueSender(sender), audit, options, _clock, NullLogger<DeadLetterRedrive>.Instance);
    }
}
