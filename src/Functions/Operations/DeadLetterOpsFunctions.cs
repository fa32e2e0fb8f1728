using Integration.Operations.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>The dead-letter endpoints of the ops API (<see cref="DeadLetterEndpoints"/>).</summary>
public sealed class DeadLetterOpsFunctions(OpsApi api)
{
    [Function("ListDeadLetters")]
    public Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/deadletters")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "deadletters", cancellationToken);

    [Function("GroupDeadLetters")]
    public Task<HttpResponseData> Groups(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/deadletters/groups")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "deadletters/groups", cancellationToken);

    [Function("RedriveDeadLetters")]
    public Task<HttpResponseData> Redrive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/deadletters/redrive")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "deadletters/redrive", cancellationToken);

    [Function("DiscardDeadLetters")]
    public Task<HttpResponseData> Discard(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/deadletters/discard")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "deadletters/discard", cancellationToken);
}
