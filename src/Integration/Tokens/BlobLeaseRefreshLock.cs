using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>
/// <see cref="IRefreshLock"/> as a lease on a blob in the app's storage account, renewed every third of
/// <see cref="TokensOptions.LockLeaseDuration"/> while held: a refresh slower than the lease (a slow token endpoint,
/// Key Vault retrying) keeps other instances out until it ends, so a rotating refresh token is never redeemed twice.
/// </summary>
internal sealed class BlobLeaseRefreshLock(
    BlobServiceClient blobs,
    IOptions<TokensOptions> options,
    TimeProvider time,
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
            return new Held(lease, options.Value.LockLeaseDuration / 3, time, logger);
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

    /// <summary>The held lease: renewed on <paramref name="interval"/> until disposed, then released.</summary>
    private sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public Held(BlobLeaseClient lease, TimeSpan interval, TimeProvider time, ILogger logger)
        {
            (_lease, _logger) = (lease, logger);
            _renewing = RenewAsync(interval, time, time.GetTimestamp());
        }

        private async Task RenewAsync(TimeSpan interval, TimeProvider time, long acquired)
        {
            using var timer = new PeriodicTimer(interval, time);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        await _lease.RenewAsync(cancellationToken: _stop.Token);
                        _logger.LogDebug("Renewed the token refresh lease, held for {HeldSeconds:F0} s", time.GetElapsedTime(acquired).TotalSeconds);
                    }
                    catch (Exception e) when (e is RequestFailedException or AggregateException && !_stop.IsCancellationRequested)
                    {
                        // Storage unavailable (AggregateException: every try failed) or the lease lost: the next tick tries
                        // again; the refresh itself goes on (stored tokens are compared before they are written).
                        _logger.LogWarning(
                            "Could not renew the token refresh lease ({Failure}); trying again in {Interval}",
                            e is RequestFailedException failed ? $"HTTP {failed.Status} {failed.ErrorCode}" : "storage unreachable",
                            interval);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Released.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            _stop.Dispose();
            try
            {
                await _lease.ReleaseAsync();
            }
            catch (RequestFailedException e)
            {
                _logger.LogWarning("Could not release the token refresh lease (HTTP {Status}); it expires on its own", e.Status);
            }
        }
    }
}
