using Integration.Operations.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>The task endpoints of the ops API: the request log, re-sync and reset (<see cref="RequestEndpoints"/>, <see cref="TaskEndpoints"/>).</summary>
public sealed class TaskOpsFunctions(OpsApi api)
{
    [Function("ListRequests")]
    public Task<HttpResponseData> Requests(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/requests")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "requests", cancellationToken);

    [Function("ResyncTasks")]
    public Task<HttpResponseData> Resync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/resync")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "resync", cancellationToken);

    [Function("ResetTask")]
    public Task<HttpResponseData> Reset(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/tasks/{uid}/reset")] HttpRequestData request, string uid, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, $"tasks/{uid}/reset", cancellationToken);
}
