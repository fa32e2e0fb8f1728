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
    /// <summary>Most rows one query answers; narrow the window for more.</summary>
    public const int MaxRows = 5000;

    public async Task<IReadOnlyList<RequestSummary>> ListAsync(DateTimeOffset since, DateTimeOffset? until, string? taskUid, string? status, CancellationToken cancellationToken)
    {
        var found = new List<RequestSummary>();
        await foreach (var row in requests.SinceAsync(since, cancellationToken))
        {
            if ((until is null || row.At < until)
                && (taskUid is null || string.Equals(row.TaskUid, taskUid, StringComparison.OrdinalIgnoreCase))
                && Matches(row.Status, status))
            {
                found.Add(RequestSummary.Of(row));
                if (found.Count >= MaxRows)
                {
                    break;
                }
            }
        }

        return [.. found.OrderBy(r => r.At)];
    }

    private static bool Matches(int? code, string? status) => status switch
    {
        null or "" => true,
        "none" => code is null,
        [var digit, 'x', 'x'] when char.IsAsciiDigit(digit) => code / 100 == digit - '0',
        _ => int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var exact) && code == exact,
    };
}
