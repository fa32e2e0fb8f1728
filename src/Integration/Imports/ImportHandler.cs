using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// Forwards one dropped CSV to Dragonfruit's bulk import: opens the blob's current version, claims it in the ledger
/// (one run per version at a time), and hands it to an <see cref="ImportRun"/>. A version imported before is not sent
/// again; one claimed by a live run ends in <see cref="ImportClaimedElsewhereException"/> (tried again later); a blob
/// deleted before its run ends with one log line.
/// </summary>
public sealed partial class ImportHandler(
    DragonfruitImportClient client,
    ImportLedger ledger,
    ImportReports reports,
    UploadSizeLimits sizeLimits,
    ImportSpools spools,
    IOptions<ImportsOptions> options,
    TimeProvider time,
    ILogger<ImportHandler> logger,
    ILoggerFactory loggers)
{
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task<ImportOutcome> HandleAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["BlobName"] = blob.Name });
        var source = await ImportSource.OpenAsync(blob, options.Value.BufferMaxBytes, cancellationToken);
        if (source is null)
        {
            LogGone(blob.Name, blob.BlobContainerName);
            return new ImportOutcome(ImportStatus.Gone, null, AlreadyImported: false);
        }

        // A file streamed from storage takes long enough to open, claim and check for the bearer to be fetched meanwhile.
        var prepared = source.IsBuffered ? Task.CompletedTask : client.PrepareAsync(cancellationToken);
        try
        {
            return await HandleAsync(source, cancellationToken);
        }
        finally
        {
            await prepared;
        }
    }

    public async Task<ImportOutcome> HandleAsync(ImportSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var holder = $"{_holder}/{Guid.NewGuid():N}";
        switch (await ledger.ClaimAsync(source, holder, cancellationToken))
        {
            case ClaimResult.Final final:
                LogAlreadyImported(source.Name, source.Version.ToString(), final.Row.Status);
                return new ImportOutcome(final.Row.Status, final.Row.ReportBlob, AlreadyImported: true);
            case ClaimResult.HeldElsewhere held:
                LogHeldElsewhere(source.Name, source.Version.ToString(), held.Holder, held.Until);
                throw new ImportClaimedElsewhereException(
                    $"{source.Name} version {source.Version} is being imported by another run (claimed until {held.Until:u}); nothing was sent, it is tried again later.");
            case ClaimResult.Claimed { Claim: var claim }:
                if (claim.TakenOver)
                {
                    LogTakenOver(source.Name, source.Version.ToString(), claim.Attempts);
                }

                var run = new ImportRun(source, claim, new ImportRunServices(client, ledger, reports, sizeLimits, spools, options.Value, time, loggers.CreateLogger<ImportRun>()));
                return await RunAsync(run, claim, cancellationToken);
            default:
                throw new InvalidOperationException("Unknown claim result.");
        }
    }

    /// <summary>An unexpected failure gives the claim up (the ledger's upload rows keep what went out), so the retry needs no wait.</summary>
    private async Task<ImportOutcome> RunAsync(ImportRun run, ImportClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            return await run.ExecuteAsync(cancellationToken);
        }
        catch (Exception e) when (e is not ImportRetryException)
        {
            try
            {
                await ledger.ReleaseAsync(claim, CancellationToken.None);
            }
            catch (Exception release) when (release is Azure.RequestFailedException or ImportRetryException)
            {
                logger.LogWarning(release, "Could not give up the claim on {BlobName}; it expires by itself", claim.BlobName);
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {BlobName} no longer exists in container {Container}; nothing to import")]
    private partial void LogGone(string blobName, string container);

    [LoggerMessage(Level = LogLevel.Information, Message = "Blob {BlobName} version {ETag} was already imported ({Status}); not sending it again")]
    private partial void LogAlreadyImported(string blobName, string eTag, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {BlobName} version {ETag} is claimed by another run ({Holder}, until {ClaimExpiresAt}); sending nothing, tried again later")]
    private partial void LogHeldElsewhere(string blobName, string eTag, string? holder, DateTimeOffset? claimExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {BlobName} version {ETag}: the previous run's claim expired (it died or stalled); run {Attempt} takes it over")]
    private partial void LogTakenOver(string blobName, string eTag, int attempt);
}
