using Integration.Common;
using Microsoft.Extensions.Logging;

namespace Integration.Imports;

internal sealed partial class ImportRun
{
    private static readonly TimeSpan FirstRecordDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRecordDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Records what follows an answer from Dragonfruit (the report, the ledger's rows). Storage being down then must not
    /// turn an answer this run has into one the next run finds lost, and can only hold for an operator: while storage is
    /// unavailable (<see cref="StorageUnavailable"/>), the write is tried again, with growing delays, as long as this run's
    /// claim lasts (no other run takes the version over meanwhile). Past that, or on any other failure, it throws.
    /// </summary>
    private async Task<T> RecordAsync<T>(string what, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        var delay = FirstRecordDelay;
        while (true)
        {
            try
            {
                return await write(cancellationToken);
            }
            catch (Exception e) when (StorageUnavailable.Is(e) && services.Time.GetUtcNow() + delay < claim.ExpiresAt && !cancellationToken.IsCancellationRequested)
            {
                LogRecordRetrying(what, source.Name, e.GetType().Name, delay, claim.ExpiresAt);
                await Task.Delay(delay, services.Time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRecordDelay.Ticks));
            }
        }
    }

    private async Task RecordAsync(string what, Func<CancellationToken, Task> write, CancellationToken cancellationToken) =>
        await RecordAsync(what, async ct =>
        {
            await write(ct);
            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {What} for {BlobName}: storage is unavailable ({Failure}); trying again in {Delay} (this run's claim lasts until {ClaimExpiresAt})")]
    private partial void LogRecordRetrying(string what, string blobName, string failure, TimeSpan delay, DateTimeOffset claimExpiresAt);
}
