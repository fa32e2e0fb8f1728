using Integration.Sandbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Sandbox.Admin;

/// <summary>
/// <c>/_sandbox/*</c>: fault injection, the call log, a health probe for drivers in another process, and a raw body sink for
/// upload benchmarks. Not recorded.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapSandboxAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/_sandbox");
        admin.MapPost("/faults/{route}", EnqueueFaults);
        admin.MapDelete("/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        admin.MapGet("/calls", (CallLog calls) => Results.Json(calls.All));
        admin.MapDelete("/calls", (CallLog calls) =>
        {
            calls.Clear();
            return Results.NoContent();
        });
        admin.MapGet("/health", () => Results.Json(new { status = "ok" }));
        admin.MapPost("/sink", SinkAsync).WithUnlimitedRequestBody();
    }

    /// <summary>Reads and discards the whole body, however large, and answers how many bytes it had.</summary>
    private static async Task<IResult> SinkAsync(HttpRequest request, CancellationToken ct)
    {
        var bytes = await RequestBody.DrainAsync(request.Body, ct);
        return Results.Json(new { bytes });
    }

    private static IResult EnqueueFaults(string route, FaultSpec[] faults, FaultInjector injector)
    {
        if (faults.Select(f => f.Problem()).FirstOrDefault(p => p is not null) is { } problem)
        {
            return Results.BadRequest(new { message = problem });
        }

        injector.Enqueue(route, [.. faults.Select(f => f.ToFault())]);
        return Results.Json(new { route, pending = injector.Pending(route) });
    }
}
