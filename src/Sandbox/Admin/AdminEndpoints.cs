using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Sandbox.Admin;

/// <summary><c>/_sandbox/*</c>: fault injection, the call log and a health probe for drivers in another process. Not recorded.</summary>
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
