using Integration.Operations.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>The import endpoints of the ops API (<see cref="ImportEndpoints"/>).</summary>
public sealed class ImportOpsFunctions(OpsApi api)
{
    [Function("ListImports")]
    public Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/imports")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "imports", cancellationToken);

    [Function("ReimportBlob")]
    public Task<HttpResponseData> Reimport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/imports/reimport")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "imports/reimport", cancellationToken);

    [Function("ResolveImport")]
    public Task<HttpResponseData> Resolve(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/imports/resolve")] HttpRequestData request, CancellationToken cancellationToken) =>
        OpsHttp.RunAsync(api, request, "imports/resolve", cancellationToken);
}
