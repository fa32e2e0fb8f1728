using Azure;
using Azure.Storage.Blobs;
using Integration.Imports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Local.Imports;

/// <summary>
/// The local stand-in for the Event Grid blob trigger (<c>integration run</c>): lists the drop container every
/// <see cref="LocalImportsOptions.LocalPollInterval"/> and hands each blob to the same <see cref="ImportHandler"/>;
/// the ledger makes the repeated listing harmless.
/// </summary>
public sealed class LocalImportWatcher(
    BlobServiceClient blobs,
    ImportHandler handler,
    IOptions<ImportsOptions> options,
    IOptions<LocalImportsOptions> localOptions,
    TimeProvider time,
    ILogger<LocalImportWatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, Azure.ETag> _seen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var container = blobs.GetBlobContainerClient(options.Value.Container);
        logger.LogInformation("Watching container {Container} for CSV drops ({{customer_id}}/{{sheet}}/{{file}}.csv)", container.Name);
        var created = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!created)
                {
                    await container.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                    created = true;
                }

                await PassAsync(container, stoppingToken);
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException && !stoppingToken.IsCancellationRequested)
            {
                // Storage unavailable (an outage, a restart): the watcher lives on and lists again on the next pass.
                logger.LogWarning("Could not list container {Container} ({Failure}); trying again in {PollInterval}", container.Name, e.GetType().Name, localOptions.Value.LocalPollInterval);
            }

            await Task.Delay(localOptions.Value.LocalPollInterval, time, stoppingToken);
        }
    }

    private async Task PassAsync(BlobContainerClient container, CancellationToken stoppingToken)
    {
        await foreach (var item in container.GetBlobsAsync(cancellationToken: stoppingToken))
        {
            if (_seen.TryGetValue(item.Name, out var etag) && etag == item.Properties.ETag)
            {
                continue;
            }

            try
            {
                await handler.HandleAsync(container.GetBlobClient(item.Name), stoppingToken);
                _seen[item.Name] = item.Properties.ETag!.Value;
            }
            catch (ImportRetryException e)
            {
                logger.LogWarning("Import of {BlobName} is tried again on the next pass: {Reason}", item.Name, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Import of {BlobName} failed; it is tried again on the next pass", item.Name);
            }
        }
    }
}
