using Integration.Tasks;
using Integration.Tasks.RateLimiting;
using Microsoft.Extensions.Options;

namespace Integration.Operations;

/// <summary>Fragment attempts in one UTC minute: all of them, the 429s, the 5xx, and those without an answer.</summary>
public sealed record RequestMinute(DateTimeOffset Minute, int Requests, int Throttled, int ServerErrors, int NoAnswer);

/// <summary>
/// Requests per minute over a window (<c>GET ops/requests/minutes?since=1h</c>), against the shared budget
/// (<c>Fragment:RateLimit:RequestsPerMinute</c>): only the minutes with attempts are listed, oldest first; with the task
/// queue's backlog now, where it is known.
/// </summary>
public sealed record RequestMinutes(
    DateTimeOffset Since, DateTimeOffset Until, int Limit, int Requests, int Throttled, int ServerErrors, IReadOnlyList<RequestMinute> Minutes, TaskBacklog? Backlog = null);

/// <summary>Counts the request log per minute on the server, so a day is 1,440 numbers and not 86,400 rows.</summary>
public sealed class RequestMinutesQuery(RequestLog requests, IOptions<RateLimitOptions> budget, IEnumerable<ITaskBacklog> backlogs, TimeProvider time)
{
    /// <summary>Why Azure shows no backlog: counting a Service Bus queue needs Manage rights, and the app may only send and receive.</summary>
    public const string BacklogNotKnown =
        "not known to the app (counting a Service Bus queue needs Manage rights it does not have): see the queue's Active and Dead-lettered messages metrics and the task backlog alert";

    /// <summary>Longest window counted in one call.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(2);

    public async Task<RequestMinutes> CountAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow();
        if (until - since > MaxWindow)
        {
            since = until - MaxWindow;
        }

        var minutes = new SortedDictionary<DateTimeOffset, RequestMinute>();
        await foreach (var row in requests.SinceAsync(since, cancellationToken))
        {
            var at = row.At.ToUniversalTime();
            var minute = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
            var counted = minutes.GetValueOrDefault(minute) ?? new RequestMinute(minute, 0, 0, 0, 0);
            minutes[minute] = counted with
            {
                Requests = counted.Requests + 1,
                Throttled = counted.Throttled + (row.Status == 429 ? 1 : 0),
                ServerErrors = counted.ServerErrors + (row.Status is >= 500 and < 600 ? 1 : 0),
                NoAnswer = counted.NoAnswer + (row.Status is null ? 1 : 0),
            };
        }

        var list = minutes.Values.ToList();
        var backlog = backlogs.FirstOrDefault() is { } counter ? await counter.GetAsync(cancellationToken) : TaskBacklog.NotKnown(BacklogNotKnown);
        return new RequestMinutes(since, until, budget.Value.RequestsPerMinute, list.Sum(m => m.Requests), list.Sum(m => m.Throttled), list.Sum(m => m.ServerErrors), list, backlog);
    }
}
