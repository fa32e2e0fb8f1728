using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>
/// What the last token refresh attempts did, for operators (<c>GET ops/tokens</c>): one small JSON blob beside the
/// refresh lease in <see cref="TokensOptions.LockContainer"/>. Holds times and outcome descriptions only, never a token.
/// Recording never fails a refresh: a storage problem is logged and the record skipped.
/// </summary>
public sealed class TokenRefreshJournal(BlobServiceClient blobs, IOptions<TokensOptions> options, TimeProvider time, ILogger<TokenRefreshJournal> logger)
{
    internal const string BlobName = "dragonfruit-token-refresh.status.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(TokenRefreshOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        try
        {
            var now = time.GetUtcNow();
            var entry = (await ReadAsync(cancellationToken) ?? new TokenRefreshRecord()) with { LastAttemptAt = now, LastOutcome = outcome.Describe() };
            entry = outcome switch
            {
                TokenRefreshOutcome.Refreshed => entry with { LastRefreshAt = now },
                { Succeeded: false } => entry with { LastFailureAt = now, LastFailure = outcome.Describe() },
                _ => entry,
            };
            var blob = Blob();
            await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await blob.UploadAsync(BinaryData.FromObjectAsJson(entry, Json), overwrite: true, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            logger.LogWarning("Could not record the token refresh outcome for operators: HTTP {Status} {ErrorCode}", e.Status, e.ErrorCode);
        }
        catch (AggregateException e)
        {
            // Storage did not answer within its retries (an outage): the record is for operators only, the refresh goes on.
            logger.LogWarning("Could not record the token refresh outcome for operators: storage did not answer ({Tries} tries)", e.InnerExceptions.Count);
        }
    }

    /// <summary>The record, or null when no refresh was recorded yet.</summary>
    public async Task<TokenRefreshRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await Blob().DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<TokenRefreshRecord>(Json);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private BlobClient Blob() => blobs.GetBlobContainerClient(options.Value.LockContainer).GetBlobClient(BlobName);
}

/// <summary>The last refresh attempt, the last one that stored new tokens, and the last failure, with its description.</summary>
public sealed record TokenRefreshRecord(
    DateTimeOffset? LastAttemptAt = null,
    string? LastOutcome = null,
    DateTimeOffset? LastRefreshAt = null,
    DateTimeOffset? LastFailureAt = null,
    string? LastFailure = null);
