using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Integration.DeadLetters;
using Microsoft.Extensions.Options;

namespace Integration.Operations.DeadLetters.Archive;

/// <summary>
/// The archive of discarded dead-letters: blob container <see cref="OperationsOptions.ArchiveContainer"/>, one JSON
/// blob per message named by when it was archived (<c>yyyy/MM/dd/HHmmss-id.json</c>), so a listing comes oldest first.
/// </summary>
public sealed class DeadLetterArchive(BlobServiceClient blobs, IOptions<OperationsOptions> options)
{
    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.ArchiveContainer);

    /// <summary>Writes the archive blob (never over another); returns its name.</summary>
    public async Task<string> WriteAsync(ArchivedDeadLetter entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var container = Container;
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var name = string.Create(CultureInfo.InvariantCulture, $"{entry.ArchivedAt.UtcDateTime:yyyy/MM/dd/HHmmss}-{Guid.NewGuid():N}.json");
        await container.GetBlobClient(name).UploadAsync(
            entry.ToJson(),
            new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, Metadata = new Dictionary<string, string> { ["messageid"] = Uri.EscapeDataString(entry.MessageId) } },
            cancellationToken);
        return name;
    }

    /// <summary>Archived dead-letters the filter takes, oldest first, at most <paramref name="max"/>.</summary>
    public async IAsyncEnumerable<ArchivedDeadLetter> ListAsync(DeadLetterFilter filter, int max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var found = 0;
        await foreach (var (entry, _) in ReadAllAsync(cancellationToken))
        {
            if (found >= max)
            {
                yield break;
            }

            if (filter.Matches(entry.Message))
            {
                found++;
                yield return entry;
            }
        }
    }

    /// <summary>Every archived entry with its ETag, oldest first (the names listed when the call started).</summary>
    internal async IAsyncEnumerable<(ArchivedDeadLetter Entry, ETag ETag)> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = Container;
        if (!await container.ExistsAsync(cancellationToken))
        {
            yield break;
        }

        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            names.Add(item.Name);
        }

        foreach (var name in names)
        {
            Response<BlobDownloadResult> downloaded;
            try
            {
                downloaded = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                continue; // restored (deleted) meanwhile
            }

            yield return (ArchivedDeadLetter.FromJson(name, downloaded.Value.Content), downloaded.Value.Details.ETag);
        }
    }

    /// <summary>Removes an entry (after it was sent back), only if nobody changed or removed it since it was read.</summary>
    internal async Task DeleteAsync(string blob, ETag etag, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blob).DeleteAsync(conditions: new BlobRequestConditions { IfMatch = etag }, cancellationToken: cancellationToken);
}
