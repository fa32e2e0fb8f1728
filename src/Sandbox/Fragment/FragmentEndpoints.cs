using System.Text.Json.Nodes;
using Integration.Sandbox.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Fragment;

/// <summary>
/// Fragment's task API at the listener root (the client's base URL is <see cref="PartnerSandbox.PartnerBaseUri"/>):
/// <c>PUT</c> and <c>GET /tasks/{uid}</c>, and <c>GET /accounts/me</c>. Every route goes through <see cref="FragmentGate"/>.
/// </summary>
internal static class FragmentEndpoints
{
    public const string LogCategory = "Integration.Sandbox.Fragment";

    public const string AccountEmail = "sandbox@example.invalid";

    private static readonly Guid AccountUid = new("5a4d0b9e-0000-4000-8000-00000000acc7");

    public static void MapFragment(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/tasks").AsSandboxRoute(SandboxRoutes.Tasks).AddEndpointFilter(new FragmentGate(rateLimited: true));
        tasks.MapPut("/batch", FragmentBatch.PutAsync); // before /{uid}: "batch" is not a uid
        tasks.MapPut("/{uid}", PutTaskAsync);
        tasks.MapGet("/{uid}", GetTask);
        app.MapGet("/accounts/me", () => Results.Json(new JsonObject { ["uid"] = AccountUid.ToString("D"), ["email"] = AccountEmail }))
            .AsSandboxRoute(SandboxRoutes.FragmentAccount)
            .AddEndpointFilter(new FragmentGate(rateLimited: false));
    }

    private static async Task<IResult> PutTaskAsync(string uid, HttpRequest request, SandboxTasks tasks, ILoggerFactory loggers)
    {
        if (!Guid.TryParseExact(uid, "D", out var id))
        {
            return FragmentErrors.InvalidUid();
        }

        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var errors = new List<JsonObject>();
        if (TaskBody.Parse(body, errors) is not { } changes)
        {
            return FragmentErrors.Validation(errors);
        }

        if (tasks.Upsert(id, changes, body, out var created) is not { } task)
        {
            return FragmentErrors.TitleMissing();
        }

        loggers.CreateLogger(LogCategory).LogInformation("Fragment task {TaskUid} {Action} (status {Status})", id, created ? "created" : "updated", task.Status);
        return Results.Json(TaskJson.Render(task));
    }

    private static IResult GetTask(string uid, SandboxTasks tasks)
    {
        if (!Guid.TryParseExact(uid, "D", out var id))
        {
            return FragmentErrors.InvalidUid();
        }

        return tasks.Get(id) is { } task
            ? Results.Json(TaskJson.Render(task))
            : FragmentErrors.Detail(StatusCodes.Status404NotFound, "Not found");
    }
}
