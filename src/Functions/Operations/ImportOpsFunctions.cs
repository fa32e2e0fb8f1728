using Integration.Operations;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>
/// <c>GET ops/imports?status=failed,rejected&amp;since=24h</c>, <c>POST ops/imports/reimport {"blob": "..."}</c> and
/// <c>POST ops/imports/resolve {"blob": "...", "arrived": true}</c>.
/// </summary>
public sealed class ImportOpsFunctions(ImportOperations imports, TimeProvider time, OpsAuthorizer authorizer)
{
    [Function("ListImports")]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/imports")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (_, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Read, "ListImports");
        if (refusal is not null)
        {
            return refusal;
        }

        var statuses = request.Query["status"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (statuses.Contains("all", StringComparer.OrdinalIgnoreCase))
        {
            statuses = []; // as the CLI's --status all: every status
        }

        var timeProblem = OpsLimits.Time("since", request.Query["since"], time.GetUtcNow(), out var since);
        if ((OpsLimits.Filter("status", statuses) ?? timeProblem) is { } problem)
        {
            return await OpsHttp.BadRequestAsync(request, problem);
        }

        return await OpsHttp.JsonAsync(request, await imports.ListAsync(statuses, since, cancellationToken));
    }

    [Function("ReimportBlob")]
    public async Task<HttpResponseData> Reimport(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/imports/reimport")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Operate, "ReimportBlob");
        if (refusal is not null)
        {
            return refusal;
        }

        if (await OpsHttp.ReadAsync<ReimportCommand>(request) is not { Blob.Length: > 0 } command)
        {
            return await OpsHttp.BadRequestAsync(request, "Expected a JSON body {\"blob\": \"{customer_id}/{sheet}/{file}.csv\"}.");
        }

        try
        {
            return await OpsHttp.JsonAsync(request, await imports.ReimportAsync(command.Blob, actor, cancellationToken));
        }
        catch (InvalidBlobNameException e)
        {
            return await OpsHttp.BadRequestAsync(request, $"blob: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            return await OpsHttp.JsonAsync(request, new { error = e.Message }, System.Net.HttpStatusCode.NotFound);
        }
    }

    [Function("ResolveImport")]
    public async Task<HttpResponseData> Resolve(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/imports/resolve")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Operate, "ResolveImport");
        if (refusal is not null)
        {
            return refusal;
        }

        if (await OpsHttp.ReadAsync<ResolveImportCommand>(request) is not { Blob.Length: > 0, Arrived: { } arrived } command)
        {
            return await OpsHttp.BadRequestAsync(request, "Expected a JSON body {\"blob\": \"{customer_id}/{sheet}/{file}.csv\", \"arrived\": true|false}.");
        }

        try
        {
            return await OpsHttp.JsonAsync(request, await imports.ResolveAsync(command.Blob, arrived, actor, cancellationToken));
        }
        catch (InvalidBlobNameException e)
        {
            return await OpsHttp.BadRequestAsync(request, $"blob: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            return await OpsHttp.JsonAsync(request, new { error = e.Message }, System.Net.HttpStatusCode.Conflict);
        }
    }
}
