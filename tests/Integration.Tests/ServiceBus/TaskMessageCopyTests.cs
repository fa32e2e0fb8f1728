using Azure.Messaging.ServiceBus;
using Integration.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Integration.DeadLetters;

namespace Integration.Tests.ServiceBus;

/// <summary>The delayed copy a task retry schedules, the operator tools' sender, and the client registration.</summary>
public sealed class TaskMessageCopyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static ServiceBusReceivedMessage Received() => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: BinaryData.FromString("""{"external_id":"ticket#1","status":"DONE","version":7}"""),
        messageId: "task-1",
        partitionKey: "P1",
        correlationId: "corr-1",
        subject: "task",
        to: "fragment",
        contentType: "application/json",
        replyTo: "replies",
        timeToLive: TimeSpan.FromDays(2),
        scheduledEnqueueTime: Now.AddMinutes(-5),
        properties: new Dictionary<string, object>
        {
            ["Attempt"] = 2,
            ["FirstFailureAt"] = "2026-12-04T08:00:00Z",
            ["Trigger"] = "upstream",
            ["DeadLetterReason"] = "RetriesExhausted",
            ["DeadLetterErrorDescription"] = "503 from Fragment",
            ["Diagnostic-Id"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        },
        lockTokenGuid: Guid.NewGuid(),
        deliveryCount: 3,
        lockedUntil: Now.AddSeconds(60),
        sequenceNumber: 42,
        deadLetterSource: "tasks",
        enqueuedSequenceNumber: 41,
        enqueuedTime: Now.AddMinutes(-1));

    [Fact]
    public void A_copy_keeps_the_message_and_its_properties_and_drops_what_the_broker_and_the_dead_letter_set()
    {
        var copy = TaskMessageCopy.Create(Received(), new Dictionary<string, object> { ["Attempt"] = 3, ["LastFailureAt"] = "2026-12-04T09:00:00Z" });

        Assert.Equal("""{"external_id":"ticket#1","status":"DONE","version":7}""", copy.Body.ToString());
        Assert.Equal(
            ("task-1", "P1", "corr-1", "task", "fragment", "application/json", "replies", TimeSpan.FromDays(2)),
            (copy.MessageId, copy.PartitionKey, copy.CorrelationId, copy.Subject, copy.To, copy.ContentType, copy.ReplyTo, copy.TimeToLive));
        Assert.Equal(3, copy.ApplicationProperties["Attempt"]);
        Assert.Equal("2026-12-04T08:00:00Z", copy.ApplicationProperties["FirstFailureAt"]);
        Assert.Equal("2026-12-04T09:00:00Z", copy.ApplicationProperties["LastFailureAt"]);
        Assert.Equal("upstream", copy.ApplicationProperties["Trigger"]);
        Assert.False(copy.ApplicationProperties.ContainsKey("DeadLetterReason"));
        Assert.False(copy.ApplicationProperties.ContainsKey("DeadLetterErrorDescription"));
        Assert.False(copy.ApplicationProperties.ContainsKey("Diagnostic-Id"));
        Assert.Equal(default, copy.ScheduledEnqueueTime);
        var amqp = copy.GetRawAmqpMessage();
        Assert.Null(amqp.Header.DeliveryCount);
        Assert.DoesNotContain(amqp.MessageAnnotations.Keys, key => key is "x-opt-sequence-number" or "x-opt-enqueued-time" or "x-opt-locked-until"
            or "x-opt-deadletter-source" or "x-opt-enqueue-sequence-number" or "x-opt-scheduled-enqueue-time");
    }

    [Fact]
    public async Task A_delayed_retry_schedules_the_copy_at_the_given_time()
    {
        var sender = new RecordingSender();

        await TaskMessageCopy.ScheduleAsync(sender, Received(), Now.AddMinutes(15), new Dictionary<string, object> { ["Attempt"] = 3 }, CancellationToken.None);

        var (message, at) = Assert.Single(sender.Scheduled);
        Assert.Equal(Now.AddMinutes(15), at);
        Assert.Equal("task-1", message.MessageId);
        Assert.Equal(3, message.ApplicationProperties["Attempt"]);
        Assert.Empty(sender.Sent);
    }

    [Fact]
    public async Task The_operator_tools_sender_sends_json_with_the_id_and_properties_it_is_given()
    {
        var sender = new RecordingSender();

        await new ServiceBusTaskQueueSender(sender).SendAsync(
            "task-9", BinaryData.FromString("{}"), new Dictionary<string, object> { ["Trigger"] = "redrive", ["RedriveCount"] = 1 }, CancellationToken.None);

        var message = Assert.Single(sender.Sent);
        Assert.Equal(("task-9", "application/json", "{}"), (message.MessageId, message.ContentType, message.Body.ToString()));
        Assert.Equal("redrive", message.ApplicationProperties["Trigger"]);
        Assert.Equal(1, message.ApplicationProperties["RedriveCount"]);
    }

    [Fact]
    public async Task The_registration_puts_the_task_queue_on_the_triggers_namespace_and_names_a_missing_queue_setting()
    {
        using var host = Build(new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = "sb-integration.servicebus.windows.net", ["TasksQueueName"] = "tasks" });
        using var missing = Build(new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = "sb-integration.servicebus.windows.net" });

        Assert.Equal("sb-integration.servicebus.windows.net", host.Services.GetRequiredService<ServiceBusClient>().FullyQualifiedNamespace);
        Assert.Equal("tasks", host.Services.GetRequiredService<ServiceBusSender>().EntityPath);
        Assert.IsType<ServiceBusTaskQueueSender>(host.Services.GetRequiredService<ITaskQueueSender>());
        Assert.Equal("tasks", Assert.IsType<ServiceBusDeadLetterQueue>(host.Services.GetRequiredService<IDeadLetterQueue>()).QueueName);
        var error = Assert.Throws<InvalidOperationException>(() => missing.Services.GetRequiredService<ITaskQueueSender>());
        Assert.Contains("TasksQueueName", error.Message, StringComparison.Ordinal);
        await host.Services.GetRequiredService<ServiceBusClient>().DisposeAsync();
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceBusTaskQueue();
        return builder.Build();
    }
}
