using Integration.Operations.Identity;

namespace Integration.Operations.Api;

/// <summary>
/// <c>POST ops/resync {"since": "2026-11-27T06:00:00Z", "dryRun": true}</c>: one bounded slice
/// (<see cref="OpsApi.CallBudget"/>; the answer's <c>resume</c>, when set, goes into the next call, which the CLI
/// makes); <c>POST ops/tasks/{uid}/reset</c>: clears the task's version row (audited; see <see cref="TaskReset"/>).
/// </summary>
public sealed class TaskEndpoints(TaskResync resync, TaskReset reset, TimeProvider time) : IOpsEndpoints
{
    public IEnumerable<OpsRoute> Routes =>
    [
        new("post", "resync", OpsAccess.Operate, "ResyncTasks", ResyncAsync),
        new("post", "tasks/{uid}/reset", OpsAccess.Operate, "ResetTask", ResetAsync),
    ];

    private async Task<OpsApiAnswer> ResyncAsync(OpsCall call, CancellationToken cancellationToken)
    {
        string? problem = null;
        return call.Request.BodyAs<ResyncCommand>() is { } command && command.ToRequest(time.GetUtcNow(), call.Actor, OpsApi.CallBudget, out problem) is { } request
            ? OpsApiAnswer.Ok(await resync.RunAsync(request, progress: null, cancellationToken))
            : OpsApiAnswer.BadRequest(problem ?? "Expected a JSON body {\"since\": \"ISO 8601 time or a duration such as 2h\", \"dryRun\": false}.");
    }

    private async Task<OpsApiAnswer> ResetAsync(OpsCall call, CancellationToken cancellationToken)
    {
        var uid = call.RouteValues["uid"];
        return Guid.TryParse(uid, out var id)
            ? OpsApiAnswer.Ok(await reset.ResetAsync(id, call.Actor, cancellationToken))
            : OpsApiAnswer.BadRequest($"uid: '{(uid.Length <= 40 ? uid : uid[..40] + "…")}' is not a task uid (a UUID).");
    }
}
