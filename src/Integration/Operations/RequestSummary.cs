using Integration.Tasks;

using Integration.Common;

namespace Integration.Operations;

/// <summary>One Fragment attempt as operators see it (CLI <c>requests list --json</c> and <c>GET ops/requests</c>).</summary>
public sealed record RequestSummary(
    DateTimeOffset At,
    string Endpoint,
    string TaskUid,
    string MessageId,
    int? Status,
    string? PartnerRequestId,
    string? Error,
    int Attempt,
    string Trigger,
    string? Version)
{
    public static RequestSummary Of(RequestLogEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.At, row.Endpoint, row.TaskUid, row.MessageId, row.Status, row.PartnerRequestId, SecretRedactor.MaskSecrets(row.Error, []) is { Length: > 0 } error ? error : null, row.Attempt, row.Trigger, row.Version);
    }
}

/// <summary>Request-log rows in a time window, optionally of one task or one status class (<c>2xx</c>, <c>4xx</c>, <c>5xx</c>, <c>none</c>, or a code).</summary>
public sealed class RequestLogQuery(RequestLog requests)
{
    /// <summary>Most rows <see cref="ListAsync(DateTimeOffset, DateTimeOffset?, string?, string?, CancellationToken)"/> answers; narrow the window or page for more.</summary>
    public const int MaxRows = 5000;

    /// <summary>
    /// One page of the rows, oldest first, after <paramref name="after"/> (the position a previous page ended on).
    /// Reads the table from that position on, and only as far as one page needs.
    /// </summary>
    public async Task<OpsPage<RequestSummary>> PageAsync(
        DateTimeOffset since, DateTimeOffset? until, string? taskUid, string? status, int size, string? after, CancellationToken cancellationToken)
    {
        if (after is not null && !IsRowKey(after))
        {
            throw new ArgumentException("after: not a position in the request log", nameof(after));
        }

        var found = new List<RequestSummary>();
        string? last = null;
        await foreach (var row in requests.BetweenAsync(since, until, after, cancellationToken))
        {
            if ((taskUid is null || string.Equals(row.TaskUid, taskUid, StringComparison.OrdinalIgnoreCase)) && Matches(row.Status, status))
            {
                if (found.Count == size)
                {
                    return new OpsPage<RequestSummary>(found, OpsPaging.Encode(last!));
                }

                found.Add(RequestSummary.Of(row));
                last = row.RowKey;
            }
        }

        return new OpsPage<RequestSummary>(found, null);
    }

    /// <summary>The first <see cref="MaxRows"/> rows of the window.</summary>
    public async Task<IReadOnlyList<RequestSummary>> ListAsync(DateTimeOffset since, DateTimeOffset? until, string? taskUid, string? status, CancellationToken cancellationToken) =>
        (await PageAsync(since, until, taskUid, status, MaxRows, null, cancellationToken)).Items;

    /// <summary>Whether <paramref name="status"/> is a filter this query knows.</summary>
    public static bool IsStatusFilter(string? status) => status switch
    {
        null or "" or "none" => true,
        [var digit, 'x', 'x'] => digit is >= '1' and <= '5',
        _ => int.TryParse(status, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599,
    };

    // Row keys are "{ticks:D19}-{guid:N}" (RequestLog.AddAsync).
    private static bool IsRowKey(string text) => text.Length == 52 && text[19] == '-' && text[..19].All(char.IsAsciiDigit) && text[20..].All(char.IsAsciiHexDigit);

    private static bool Matches(int? code, string? status) => status switch
    {
        null or "" => true,
        "none" => code is null,
        [var digit, 'x', 'x'] when char.IsAsciiDigit(digit) => code / 100 == digit - '0',
        _ => int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var exact) && code == exact,
    };
}
