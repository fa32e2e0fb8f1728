using Integration.Operations.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>The ops console's read endpoints and the archive (<see cref="ConsoleEndpoints"/>).</summary>
public sealed class ConsoleOpsFunctions(OpsApi api)
{
    [Function("TokenStatus")]
    public Task<HttpResponseData> Tokens(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/tokens")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "tokens", cancellationToken);

    [Function("RequestMinutes")]
    public Task<HttpResponseData> Minutes(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/requests/minutes")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "requests/minutes", cancellationToken);

    [Function("ImportReport")]
    public Task<HttpResponseData> Report(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/imports/report")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "imports/report", cancellationToken);

    [Function("ListArchivedDeadLetters")]
    public Task<HttpResponseData> Archived(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/deadletters/archived")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "deadletters/archived", cancellationToken);

    [Function("RestoreArchivedDeadLetters")]
    public Task<HttpResponseData> Restore(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/deadletters/archived/restore")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "deadletters/archived/restore", cancellationToken);
}
