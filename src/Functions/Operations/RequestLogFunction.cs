using Integration.Operations;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary><c>GET ops/requests?since=2h&amp;until=…&amp;task=UID&amp;status=5xx</c>: the request log in a time window.</summary>
public sealed class RequestLogFunction(RequestLogQuery requests, TimeProvider time, OpsAuthorizer authorizer)
{
    [Function("ListRequests")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/requests")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (_, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Read, "ListRequests");
        if (refusal is not null)
        {
            return refusal;
        }

        var now = time.GetUtcNow();
        if (!OpsJson.TryParseTime(request.Query["since"], now, out var since))
        {
            return await OpsHttp.BadRequestAsync(request, "since is required: an ISO 8601 time or a duration such as 2h.");
        }

        DateTimeOffset? until = null;
        if (request.Query["until"] is { } text)
        {
            if (!OpsJson.TryParseTime(text, now, out var parsed))
            {
                return await OpsHttp.BadRequestAsync(request, $"until: '{text}' is neither an ISO 8601 time nor a duration.");
            }

            until = parsed;
        }

        return await OpsHttp.JsonAsync(request, await requests.ListAsync(since, until, request.Query["task"], request.Query["status"], cancellationToken));
    }
}
