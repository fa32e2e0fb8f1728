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

        if (await OpsHttp.ReadAsync<ResyncCommand>(request) is not { } command || !OpsJson.TryParseTime(command.Since, time.GetUtcNow(), out var since))
        {
            return await OpsHttp.BadRequestAsync(request, "Expected a JSON body {\"since\": \"ISO 8601 time or a duration such as 2h\", \"dryRun\": false}.");
        }

        var result = await resync.RunAsync(
            new ResyncRequest(since, command.DryRun, actor, command.MessagesPerSecond, command.MaxMessages, OpsHttp.Budget),
            progress: null,
            cancellationToken);
        return await OpsHttp.JsonAsync(request, result);
    }
}
