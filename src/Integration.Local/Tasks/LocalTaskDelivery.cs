using Integration.Tasks;

namespace Integration.Local.Tasks;

/// <summary>One received local queue message: the task as a handler sees it, and what settling it needs.</summary>
public sealed class LocalTaskDelivery
{
    internal LocalTaskDelivery(IncomingTask message, string queueMessageId, string popReceipt)
    {
        (Message, QueueMessageId, PopReceipt) = (message, queueMessageId, popReceipt);
    }

    /// <summary>The task; <see cref="IncomingTask.DeliveryCount"/> is the Storage Queue <c>DequeueCount</c>.</summary>
    public IncomingTask Message { get; }

    internal string QueueMessageId { get; }

    internal string PopReceipt { get; }
}
