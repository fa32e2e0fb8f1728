using System.Threading.RateLimiting;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Integration.Tasks.RateLimiting;

/// <summary>
/// One request budget for Fragment shared by every instance of the app: a token bucket in a single Azure Table row,
/// updated with ETag compare-and-swap. With <see cref="RateLimitOptions.Burst"/> B, limit L, jitter allowance J and clock
/// skew S the bucket refills at r = (L − B + 1) per (1 minute + J + S), so any window of length w sees at most B + r × w
/// slots across all instances: the (L + 1)-th request leaves a minute + J + S after the first, so no sliding minute at
/// the partner holds more than L even when requests arrive up to J late from instances whose clocks differ by up to S.
/// (Refilling at L a minute lets a 61st request into some minute as soon as latency jitters.) A caller reserves the
/// next slot (the row may owe tokens: slots handed out ahead) and sleeps until it comes, so a slot costs one read and
/// one write of the row however many instances wait. A 429 pauses every instance through the same row
/// (<see cref="PauseUntilAsync"/>). As a <see cref="RateLimiter"/> it is used through one strategy of the Fragment
/// pipeline (<see cref="FragmentBudgetStrategy"/>), the only caller that waits for slots or pauses.
/// </summary>
public sealed class DistributedRateLimiter : RateLimiter
{
    internal const string PartitionKey = "fragment";
    internal const string RowKey = "bucket";

    /// <summary>Compare-and-swap losses in a row (each one means another instance got its write in) before giving up.</summary>
    internal const int MaxConflicts = 16;

    private readonly TableServiceClient _tables;
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DistributedRateLimiter> _logger;
    private volatile TableClient? _table;

    public DistributedRateLimiter(TableServiceClient tables, RateLimitOptions options, TimeProvider time, ILogger<DistributedRateLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RequestsPerMinute, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Burst, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Burst, options.RequestsPerMinute, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWait, TimeSpan.Zero, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Table, nameof(options));
        (_tables, _options, _time, _logger) = (tables, options, time, logger);
    }

    /// <summary>The bucket lives in storage: there is no idle state to report.</summary>
    public override TimeSpan? IdleDuration => null;

    /// <summary>Not tracked locally: the bucket is shared with every instance.</summary>
    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>
    /// Never waits and never reads storage (a synchronous caller cannot): zero permits say whether the limiter is usable,
    /// one or more are refused. Use <see cref="RateLimiter.AcquireAsync"/>.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => new BucketLease(permitCount == 0, null);

    /// <summary>One permit: <see cref="WaitAsync"/>. Refused, with <see cref="MetadataName.RetryAfter"/>, when no slot comes within MaxWait.</summary>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
        if (permitCount == 0 || await WaitAsync(cancellationToken))
        {
            return new BucketLease(true, null);
        }

        var next = await NextAvailableAsync(cancellationToken);
        return new BucketLease(false, next - _time.GetUtcNow());
    }

    /// <summary>
    /// Reserves the next slot and waits (on the injected clock) until it comes: one read and one compare-and-swap write of
    /// the row per slot, whatever the number of instances waiting, none while waiting. False, without taking anything,
    /// when the slot is more than <see cref="RateLimitOptions.MaxWait"/> away (the caller then delays the message
    /// instead), or when other instances kept winning the row <see cref="MaxConflicts"/> times in a row. A slot reserved
    /// before another instance set a pause is kept (it is at most MaxWait away); a cancelled wait forfeits its slot.
    /// </summary>
    public async Task<bool> WaitAsync(CancellationToken ct)
    {
        var table = await TableAsync(ct);
        for (var conflicts = 0; ; )
        {
            var bucket = await ReadOrCreateAsync(table, ct);
            var now = _time.GetUtcNow();
            var slot = NextSlot(bucket, now);
            var wait = WholeMilliseconds(slot - now);
            if (wait > _options.MaxWait)
            {
                _logger.LogDebug("The next Fragment request slot is {Wait} away, past the wait limit of {MaxWait}", wait, _options.MaxWait);
                return false;
            }

            bucket.Tokens = TokensAt(bucket, slot) - 1;
            bucket.UpdatedAt = slot;
            if (!await TryReplaceAsync(table, bucket, ct))
            {
                if (++conflicts >= MaxConflicts)
                {
                    _logger.LogWarning("Other instances won the Fragment rate limit row {Conflicts} times in a row; giving up on this slot", conflicts);
                    return false;
                }

                _logger.LogDebug("Another instance took the Fragment request slot first; reading the bucket again");
                continue;
            }

            if (wait > TimeSpan.Zero)
            {
                _logger.LogDebug("Waiting {Wait} for a Fragment request slot (paused until {PausedUntil})", wait, bucket.PausedUntil);
                await Task.Delay(wait, _time, ct);
            }

            return true;
        }
    }

    /// <summary>After a 429: no instance sends before <paramref name="until"/>. Never moves an existing pause backwards.</summary>
    public async Task PauseUntilAsync(DateTimeOffset until, CancellationToken ct)
    {
        var table = await TableAsync(ct);
        for (var conflicts = 0; ; conflicts++)
        {
            var bucket = await ReadOrCreateAsync(table, ct);
            if (bucket.PausedUntil >= until)
            {
                _logger.LogDebug("Fragment requests are already paused until {PausedUntil}, not earlier than {Until}", bucket.PausedUntil, until);
                return;
            }

            bucket.PausedUntil = until;
            try
            {
                await table.UpdateEntityAsync(bucket, bucket.ETag, TableUpdateMode.Replace, ct);
                _logger.LogWarning("Fragment requests paused on every instance until {Until}", until);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && conflicts < MaxConflicts)
            {
                // Another instance wrote the row in between: read it again.
            }
        }
    }

    /// <summary>When the next request could go (now if a token is free), for callers deciding to reschedule.</summary>
    public async Task<DateTimeOffset> NextAvailableAsync(CancellationToken ct)
    {
        var table = await TableAsync(ct);
        var found = await table.GetEntityIfExistsAsync<RateLimitBucket>(PartitionKey, RowKey, cancellationToken: ct);
        var now = _time.GetUtcNow();
        return found.HasValue ? now + WholeMilliseconds(NextSlot(found.Value!, now) - now) : now;
    }

    /// <summary>
    /// Tokens at <paramref name="at"/>: the row's, plus the refill since its <see cref="RateLimitBucket.UpdatedAt"/>, at
    /// most the burst. Before UpdatedAt (a reserved slot still ahead, or a writer whose clock runs ahead) the refill is
    /// negative: the row stands for one schedule whichever instance's clock wrote it.
    /// </summary>
    private double TokensAt(RateLimitBucket bucket, DateTimeOffset at) =>
        // Multiply before dividing: whole intervals then refill exactly whole tokens (no 0.999… after one second).
        Math.Min(_options.Burst, bucket.Tokens + ((double)(at - bucket.UpdatedAt).Ticks * _options.RefillTokens / _options.RefillTicks));

    /// <summary>The earliest moment, not before <paramref name="now"/>, when a token is free and no pause holds.</summary>
    private DateTimeOffset NextSlot(RateLimitBucket bucket, DateTimeOffset now)
    {
        var slot = bucket.PausedUntil is { } paused && paused > now ? paused : now;
        var tokens = TokensAt(bucket, slot);
        if (tokens < 1)
        {
            // Round up to whole ticks: the token is surely there at the slot.
            slot += TimeSpan.FromTicks((long)Math.Ceiling((1 - tokens) * _options.RefillTicks / _options.RefillTokens));
        }

        return slot;
    }

    /// <summary>Timers keep whole milliseconds: round up so the slot has surely come on waking.</summary>
    private static TimeSpan WholeMilliseconds(TimeSpan wait) =>
        wait <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMilliseconds((wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);

    private async Task<RateLimitBucket> ReadOrCreateAsync(TableClient table, CancellationToken ct)
    {
        while (true)
        {
            var found = await table.GetEntityIfExistsAsync<RateLimitBucket>(PartitionKey, RowKey, cancellationToken: ct);
            if (found.HasValue)
            {
                return found.Value!;
            }

            try
            {
                var bucket = new RateLimitBucket { PartitionKey = PartitionKey, RowKey = RowKey, Tokens = _options.Burst, UpdatedAt = _time.GetUtcNow() };
                await table.AddEntityAsync(bucket, ct);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another instance created it first.
            }
        }
    }

    private static async Task<bool> TryReplaceAsync(TableClient table, RateLimitBucket bucket, CancellationToken ct)
    {
        try
        {
            await table.UpdateEntityAsync(bucket, bucket.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    private sealed class BucketLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name ? after : null;
            return metadata is not null;
        }
    }

    private async Task<TableClient> TableAsync(CancellationToken ct)
    {
        if (_table is { } table)
        {
            return table;
        }

        table = _tables.GetTableClient(_options.Table);
        await table.CreateIfNotExistsAsync(ct);
        return _table = table;
    }
}
