using Azure.Storage.Blobs;
using Integration.Imports;
using Microsoft.Azure.Functions.Worker;

namespace Integration.Functions.Imports;

/// <summary>
/// A CSV dropped at <c>{Imports:Container}/{customer_id}/{sheet}/{file}.csv</c> goes to Dragonfruit's bulk import.
/// Event Grid source (the only blob source on Flex Consumption); the blob is bound as a <see cref="BlobClient"/> and
/// streamed, never loaded. An <see cref="ImportRetryException"/> escapes on purpose: the platform retries the blob and
/// poisons it after host.json <c>poisonBlobThreshold</c>.
/// </summary>
public sealed class ImportCsvFunction(ImportHandler handler)
{
    [Function("ImportCsv")]
    public Task Run(
        [BlobTrigger("%Imports:Container%/{name}", Source = BlobTriggerSource.EventGrid, Connection = "ImportsStorage")] BlobClient blob,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(blob, cancellationToken);
}
