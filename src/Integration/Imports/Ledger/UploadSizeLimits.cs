using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Integration.Storage;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// What Dragonfruit's import endpoint showed of its size limit: the largest upload it accepted and the smallest it
/// refused with a 413, remembered in Table storage for <see cref="ImportsOptions.SizeLimitMemory"/>, so that later files
/// are planned in parts up front and get no 413. Read through an in-process copy refreshed every
/// <see cref="ImportsOptions.SizeLimitRefresh"/>, and written only when it learns something.
/// </summary>
public sealed class UploadSizeLimits(TableServiceClient tables, IOptions<ImportsOptions> options, TimeProvider time) : IDisposable
{
    private readonly LazyTable _table = new(tables, () => options.Value.SizeLimitsTable);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SizeLimit _known = SizeLimit.Unknown;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public async Task<SizeLimit> GetAsync(string endpoint, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _readAt < options.Value.SizeLimitRefresh)
        {
            return _known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var table = await _table.GetAsync(cancellationToken);
            var found = await table.GetEntityIfExistsAsync<SizeLimitEntry>(Key(endpoint), "limit", cancellationToken: cancellationToken);
            _known = found.HasValue && found.Value!.ExpiresAt > time.GetUtcNow()
                ? new SizeLimit(found.Value.LargestAccepted, found.Value.SmallestRefused)
                : SizeLimit.Unknown;
            _readAt = time.GetUtcNow();
            return _known;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Dragonfruit accepted an upload of <paramref name="bytes"/>: written only once a refusal is known (before that no
    /// file is planned by it) and when larger than any accepted before, so a run of small drops writes nothing.
    /// </summary>
    public Task AcceptedAsync(string endpoint, long bytes, CancellationToken cancellationToken) =>
        _known.SmallestRefused is null || _known.LargestAccepted >= bytes ? Task.CompletedTask : LearnAsync(endpoint, l => l with { LargestAccepted = Math.Max(l.LargestAccepted ?? 0, bytes) }, cancellationToken);

    /// <summary>Dragonfruit refused an upload of <paramref name="bytes"/> as too large.</summary>
    public Task RefusedAsync(string endpoint, long bytes, CancellationToken cancellationToken) =>
        _known.SmallestRefused <= bytes ? Task.CompletedTask : LearnAsync(endpoint, l => l with { SmallestRefused = Math.Min(l.SmallestRefused ?? long.MaxValue, bytes) }, cancellationToken);

    private async Task LearnAsync(string endpoint, Func<SizeLimit, SizeLimit> learn, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var table = await _table.GetAsync(cancellationToken);
            for (var attempt = 0; ; attempt++)
            {
                var found = await table.GetEntityIfExistsAsync<SizeLimitEntry>(Key(endpoint), "limit", cancellationToken: cancellationToken);
                var now = time.GetUtcNow();
                var stored = found.HasValue && found.Value!.ExpiresAt > now ? new SizeLimit(found.Value.LargestAccepted, found.Value.SmallestRefused) : SizeLimit.Unknown;
                var next = learn(stored);
                if (next.SmallestRefused is { } refused && next.LargestAccepted >= refused)
                {
                    // The partner's limit moved (it accepted what it once refused, or the reverse): the newest fact wins.
                    next = learn(SizeLimit.Unknown);
                }

                var entry = new SizeLimitEntry
                {
                    PartitionKey = Key(endpoint),
                    RowKey = "limit",
                    Endpoint = endpoint,
                    LargestAccepted = next.LargestAccepted,
                    SmallestRefused = next.SmallestRefused,
                    ExpiresAt = now + options.Value.SizeLimitMemory,
                };
                try
                {
                    if (found.HasValue)
                    {
                        await table.UpdateEntityAsync(entry, found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    else
                    {
                        await table.AddEntityAsync(entry, cancellationToken);
                    }

                    _known = next;
                    _readAt = now;
                    return;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 3)
                {
                    // Another instance learned something at the same time: read it and merge.
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static string Key(string endpoint) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)));

    private sealed class SizeLimitEntry : ITableEntity
    {
        public string PartitionKey { get; set; } = "";
        public string RowKey { get; set; } = "";
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
        public string Endpoint { get; set; } = "";
        public long? LargestAccepted { get; set; }
        public long? SmallestRefused { get; set; }
        public DateTimeOffset ExpiresAt { get; set; }
    }
}

/// <summary>The largest upload Dragonfruit accepted and the smallest it refused as too large (bytes of CSV), as far as known.</summary>
public sealed record SizeLimit(long? LargestAccepted, long? SmallestRefused)
{
    public static readonly SizeLimit Unknown = new(null, null);
}
