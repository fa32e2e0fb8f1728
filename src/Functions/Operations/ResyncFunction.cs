using Integration.Operations;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>
/// <c>POST ops/resync {"since": "2026-11-27T06:00:00Z", "dryRun": true}</c>: one bounded slice (<see cref="OpsHttp.Budget"/>);
/// the answer's <c>resumeSince</c>, when set, is the <c>since</c> of the next call (the CLI loops on it).
/// </summary>
public sealed class ResyncFunction(TaskResync resync, TimeProvider time, OpsAuthorizer authorizer)
{
    [Function("ResyncTasks")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/resync")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Operate, "ResyncTasks");
        if (refusal is not null)
        {
            return refusal;
        }

        string? problem = null;
        if (await OpsHttp.ReadAsync<ResyncCommand>(request) is not { } command || command.ToRequest(time.GetUtcNow(), actor!, OpsHttp.Budget, out problem) is not { } resyncRequest)
        {
            return await OpsHttp.BadRequestAsync(request, problem ?? "Expected a JSON body {\"since\": \"ISO 8601 time or a duration such as 2h\", \"dryRun\": false}.");
        }

        var result = await resync.RunAsync(resyncRequest, progress: null, cancellationToken);
        return await OpsHttp.JsonAsync(request, result);
    }
}
