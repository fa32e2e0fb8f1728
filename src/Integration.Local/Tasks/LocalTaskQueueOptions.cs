using System.ComponentModel.DataAnnotations;
using Integration.Tasks;

namespace Integration.Local.Tasks;

/// <summary>
/// The local stand-in for the Service Bus task queue (section <c>LocalTaskQueue</c>): two Azurite Storage Queues,
/// one for the tasks and one playing the dead-letter subqueue.
/// </summary>
public sealed class LocalTaskQueueOptions
{
    public const string SectionName = "LocalTaskQueue";

    [Required, RegularExpression(QueueNamePattern)]
    public string QueueName { get; set; } = "tasks";

    /// <summary>Plays the Service Bus dead-letter subqueue (<c>tasks/$deadletterqueue</c>).</summary>
    [Required, RegularExpression(QueueNamePattern)]
    public string DeadLetterQueueName { get; set; } = "tasks-deadletter";

    /// <summary>How long the consumer waits after finding the queue empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Plays the Service Bus lock duration: a received message stays invisible this long and reappears (one delivery
    /// more) unless settled. Whole seconds (Storage Queues' resolution), at most 7 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A message received more often than this goes to the dead-letter queue (<c>MaxDeliveryCountExceeded</c>) unhandled.</summary>
    [Range(1, 2000)]
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>
    /// Batch mode, as the batched Service Bus trigger: up to 32 messages a receive (Storage Queues' most) go to
    /// <see cref="ITaskBatchHandler"/> together (<c>PUT /tasks/batch</c>, <c>Tasks:BatchSize</c> a request).
    /// </summary>
    public bool Batched { get; set; }

    private const string QueueNamePattern = "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$";
}
