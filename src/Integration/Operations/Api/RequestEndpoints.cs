using Integration.Operations.Identity;

namespace Integration.Operations.Api;

/// <summary><c>GET ops/requests?since=2h&amp;until=…&amp;task=UID&amp;status=5xx&amp;max=100&amp;after=…</c>: the request log in a time window, paged, oldest first.</summary>
public sealed class RequestEndpoints(RequestLogQuery requests, TimeProvider time) : IOpsEndpoints
{
    public IEnumerable<OpsRoute> Routes =>
    [
        new("get", "requests", OpsAccess.Read, "ListRequests", ListAsync),
    ];

    private async Task<OpsApiAnswer> ListAsync(OpsCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        var now = time.GetUtcNow();
        var task = request.QueryValue("task");
        var status = request.QueryValue("status");
        var problem = OpsApiParameters.First(
            request.QueryValue("since") is null ? "since is required: an ISO 8601 time or a duration such as 2h" : null,
            OpsLimits.Time("since", request.QueryValue("since"), now, out var since),
            OpsLimits.Time("until", request.QueryValue("until"), now, out var until),
            task is null ? null : OpsLimits.Filter("task", [task]),
            RequestLogQuery.IsStatusFilter(status) ? null : "status: one of 2xx, 4xx, 5xx, none or an HTTP status code",
            OpsPaging.Size(request.QueryValue("max"), out var size),
            OpsPaging.Cursor(request.QueryValue("after"), out var after));
        if (problem is not null)
        {
            return OpsApiAnswer.BadRequest(problem);
        }

        try
        {
            return OpsApiAnswer.Ok(await requests.PageAsync(since!.Value, until, task, status, size, after, cancellationToken));
        }
        catch (ArgumentException e) when (e.ParamName == "after")
        {
            return OpsApiAnswer.BadRequest("after: not a position in the request log (take the 'next' of the previous page)");
        }
    }
}
