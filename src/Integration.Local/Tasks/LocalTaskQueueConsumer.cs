using Integration.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Local.Tasks;

/// <summary>
/// The local stand-in for the Service Bus trigger (<c>integration run</c>): receives one message at a time from the
/// <see cref="LocalTaskQueue"/>, hands it to the <see cref="ITaskHandler"/> with a <see cref="LocalTaskSettlement"/>,
/// and waits <see cref="LocalTaskQueueOptions.PollInterval"/> only when the queue is empty. A handler that throws (or
/// returns without settling) leaves the message to reappear after <see cref="LocalTaskQueueOptions.VisibilityTimeout"/>
/// as its next delivery; past <see cref="LocalTaskQueueOptions.MaxDeliveryCount"/> deliveries it is dead-lettered
/// (<c>MaxDeliveryCountExceeded</c>) without reaching the handler, as Service Bus does.
/// </summary>
public sealed class LocalTaskQueueConsumer(
    LocalTaskQueue queue,
    ITaskHandler handler,
    IServiceProvider services,
    IOptions<LocalTaskQueueOptions> options,
    TimeProvider time,
    ILogger<LocalTaskQueueConsumer> logger) : BackgroundService
{
    public const string MaxDeliveryCountExceeded = nameof(MaxDeliveryCountExceeded);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        logger.LogInformation(
            "Receiving tasks from queue {Queue} (dead letters to {DeadLetterQueue}, up to {MaxDeliveryCount} deliveries each)",
            queue.QueueName,
            queue.DeadLetterQueueName,
            settings.MaxDeliveryCount);
        while (!stoppingToken.IsCancellationRequested)
        {
            var received = false;
            try
            {
                received = await ReceiveOneAsync(settings, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Receiving from queue {Queue} failed; trying again after {PollInterval}", queue.QueueName, settings.PollInterval);
            }

            if (!received)
            {
                await Task.Delay(settings.PollInterval, time, stoppingToken);
            }
        }
    }

    /// <returns>Whether a message was received (so the queue may hold more).</returns>
    private async Task<bool> ReceiveOneAsync(LocalTaskQueueOptions settings, CancellationToken stoppingToken)
    {
        var deliveries = await queue.ReceiveAsync(settings.Batched ? 32 : 1, settings.VisibilityTimeout, stoppingToken);
        if (settings.Batched && deliveries.Count > 1)
        {
            await HandleBatchAsync(deliveries, settings, stoppingToken);
            return true;
        }

        foreach (var delivery in deliveries)
        {
            await HandleAsync(delivery, settings, stoppingToken);
        }

        return deliveries.Count > 0;
    }

    private async Task HandleBatchAsync(IReadOnlyList<LocalTaskDelivery> deliveries, LocalTaskQueueOptions settings, CancellationToken stoppingToken)
    {
        var batch = new List<(IncomingTask, ITaskSettlement)>();
        var settlements = new List<LocalTaskSettlement>();
        foreach (var delivery in deliveries)
        {
            var settlement = new LocalTaskSettlement(queue, delivery);
            if (delivery.Message.DeliveryCount > settings.MaxDeliveryCount)
            {
                await settlement.DeadLetterAsync(MaxDeliveryCountExceeded, $"Message could not be consumed after {settings.MaxDeliveryCount} delivery attempts.", new Dictionary<string, object>(), stoppingToken);
                continue;
            }

            batch.Add((delivery.Message, settlement));
            settlements.Add(settlement);
        }

        try
        {
            // Resolved only in batch mode: hosts composing the consumer with just a message handler never need one.
            await services.GetRequiredService<ITaskBatchHandler>().HandleAsync(batch, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Batch handler failed on {Count} task messages; the unsettled ones reappear after {VisibilityTimeout}", batch.Count, settings.VisibilityTimeout);
        }

        if (settlements.Count(s => !s.IsSettled) is > 0 and var unsettled)
        {
            logger.LogWarning("{Unsettled} task messages of a batch were left unsettled; they reappear after {VisibilityTimeout}", unsettled, settings.VisibilityTimeout);
        }
    }

    private async Task HandleAsync(LocalTaskDelivery delivery, LocalTaskQueueOptions settings, CancellationToken stoppingToken)
    {
        var message = delivery.Message;
        using var scope = logger.BeginScope("Task message {MessageId} delivery {DeliveryCount}", message.MessageId, message.DeliveryCount);
        var settlement = new LocalTaskSettlement(queue, delivery);
        if (message.DeliveryCount > settings.MaxDeliveryCount)
        {
            logger.LogWarning(
                "Task message {MessageId} was delivered {DeliveryCount} times (limit {MaxDeliveryCount}); dead-lettering it unhandled",
                message.MessageId,
                message.DeliveryCount,
                settings.MaxDeliveryCount);
            await settlement.DeadLetterAsync(
                MaxDeliveryCountExceeded,
                $"Message could not be consumed after {settings.MaxDeliveryCount} delivery attempts.",
                new Dictionary<string, object>(),
                stoppingToken);
            return;
        }

        logger.LogDebug("Handling task message {MessageId} (delivery {DeliveryCount})", message.MessageId, message.DeliveryCount);
        try
        {
            await handler.HandleAsync(message, settlement, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(
                e,
                "Handler failed on task message {MessageId} (delivery {DeliveryCount}); it reappears after {VisibilityTimeout}",
                message.MessageId,
                message.DeliveryCount,
                settings.VisibilityTimeout);
            return;
        }

        if (!settlement.IsSettled)
        {
            logger.LogWarning(
                "Handler returned without settling task message {MessageId}; it reappears after {VisibilityTimeout}",
                message.MessageId,
                settings.VisibilityTimeout);
        }
    }
}
