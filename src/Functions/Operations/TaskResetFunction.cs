using Integration.Operations;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary><c>POST ops/tasks/{uid}/reset</c>: clears the task's version row (audited); see <see cref="TaskReset"/>.</summary>
public sealed class TaskResetFunction(TaskReset reset, OpsAuthorizer authorizer)
{
    [Function("ResetTask")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/tasks/{uid}/reset")] HttpRequestData request,
        string uid,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Operate, "ResetTask");
        if (refusal is not null)
        {
            return refusal;
        }

        return Guid.TryParse(uid, out var id)
            ? await OpsHttp.JsonAsync(request, await reset.ResetAsync(id, actor, cancellationToken))
            : await OpsHttp.BadRequestAsync(request, $"'{uid}' is not a task uid (a UUID).");
    }
}
