using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary><see cref="IRefreshLock"/> as a lease on a blob in the app's storage account.</summary>
internal sealed class BlobLeaseRefreshLock(
    BlobServiceClient blobs,
    IOptions<TokensOptions> options,
    ILogger<BlobLeaseRefreshLock> logger) : IRefreshLock
{
    internal const string BlobName = "dragonfruit-token-refresh.lock";
    private volatile bool _blobExists;

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobContainerClient(options.Value.LockContainer).GetBlobClient(BlobName);
        if (!_blobExists)
        {
            await EnsureBlobAsync(blob, cancellationToken);
            _blobExists = true;
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(options.Value.LockLeaseDuration, cancellationToken: cancellationToken);
            return new Held(lease, logger);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    private static async Task EnsureBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            var conditions = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            await blob.UploadAsync(BinaryData.Empty, conditions, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there (possibly leased by another instance right now).
        }
    }

    private sealed class Held(BlobLeaseClient lease, ILogger logger) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException e)
            {
                logger.LogWarning("Could not release the token refresh lease (HTTP {Status}); it expires on its own", e.Status);
            }
        }
    }
}
