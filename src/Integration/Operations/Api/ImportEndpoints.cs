using Integration.Imports;
using Integration.Operations.Identity;

namespace Integration.Operations.Api;

/// <summary>
/// <c>GET ops/imports?status=failed,rejected&amp;since=24h&amp;max=100&amp;after=…</c> (paged, newest first; no status,
/// or <c>all</c>, for every status), <c>POST ops/imports/reimport {"blob": "..."}</c> and
/// <c>POST ops/imports/resolve {"blob": "...", "arrived": true}</c>.
/// </summary>
public sealed class ImportEndpoints(ImportOperations imports, TimeProvider time) : IOpsEndpoints
{
    public IEnumerable<OpsRoute> Routes =>
    [
        new("get", "imports", OpsAccess.Read, "ListImports", ListAsync),
        new("post", "imports/reimport", OpsAccess.Operate, "ReimportBlob", ReimportAsync),
        new("post", "imports/resolve", OpsAccess.Operate, "ResolveImport", ResolveAsync),
    ];

    private async Task<OpsApiAnswer> ListAsync(OpsCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        IReadOnlyList<string> statuses = request.QueryValues("status") ?? [];
        if (statuses.Contains("all", StringComparer.OrdinalIgnoreCase))
        {
            statuses = []; // as the CLI's --status all: every status
        }

        if (OpsApiParameters.First(
            OpsLimits.Filter("status", statuses), OpsLimits.Time("since", request.QueryValue("since"), time.GetUtcNow(), out var since),
            OpsPaging.Size(request.QueryValue("max"), out var size), OpsPaging.Cursor(request.QueryValue("after"), out var after)) is { } problem)
        {
            return OpsApiAnswer.BadRequest(problem);
        }

        try
        {
            return OpsApiAnswer.Ok(await imports.ListAsync(statuses, since, size, after, cancellationToken));
        }
        catch (ArgumentException e) when (e.ParamName == "after")
        {
            return OpsApiAnswer.BadRequest("after: not a position in the imports listing (take the 'next' of the previous page)");
        }
    }

    private Task<OpsApiAnswer> ReimportAsync(OpsCall call, CancellationToken cancellationToken) =>
        call.Request.BodyAs<ReimportCommand>() is { Blob.Length: > 0 } command
            ? RunAsync(() => imports.ReimportAsync(command.Blob, call.Actor, cancellationToken), notFoundStatus: 404)
            : Task.FromResult(OpsApiAnswer.BadRequest("Expected a JSON body {\"blob\": \"{customer_id}/{sheet}/{file}.csv\"}."));

    private Task<OpsApiAnswer> ResolveAsync(OpsCall call, CancellationToken cancellationToken) =>
        call.Request.BodyAs<ResolveImportCommand>() is { Blob.Length: > 0, Arrived: { } arrived } command
            ? RunAsync(() => imports.ResolveAsync(command.Blob, arrived, call.Actor, cancellationToken), notFoundStatus: 409)
            : Task.FromResult(OpsApiAnswer.BadRequest("Expected a JSON body {\"blob\": \"{customer_id}/{sheet}/{file}.csv\", \"arrived\": true|false}."));

    // A name that is not a drop is the caller's mistake (400); a missing blob, or one not in the state asked about, is not.
    private static async Task<OpsApiAnswer> RunAsync(Func<Task<ImportOutcome>> run, int notFoundStatus)
    {
        try
        {
            return OpsApiAnswer.Ok(await run());
        }
        catch (InvalidBlobNameException e)
        {
            return OpsApiAnswer.BadRequest($"blob: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            return OpsApiAnswer.Error(notFoundStatus, e.Message);
        }
    }
}
