using Integration.Operations;
using Integration.Operations.DeadLetters.Archive;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary><c>POST ops/deadletters/discard</c> (a <see cref="DiscardCommand"/>): archive, then remove, the matching dead-letters.</summary>
public sealed class DeadLetterArchiveFunctions(DeadLetterDiscard discard, TimeProvider time, OpsAuthorizer authorizer)
{
    [Function("DiscardDeadLetters")]
    public async Task<HttpResponseData> Discard(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/deadletters/discard")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Operate, "DiscardDeadLetters");
        if (refusal is not null)
        {
            return refusal;
        }

        if (await OpsHttp.ReadAsync<DiscardCommand>(request) is not { } command)
        {
            return await OpsHttp.BadRequestAsync(request, "Expected a JSON discard command (fingerprints, reasons, messageIds, since, until, dryRun, maxMessages, note).");
        }

        if (command.ToFilter(time.GetUtcNow(), out var problem) is not { } filter)
        {
            return await OpsHttp.BadRequestAsync(request, problem!);
        }

        var result = await discard.RunAsync(new DiscardRequest(filter, command.DryRun, actor, command.MaxMessages, command.Note), cancellationToken);
        return await OpsHttp.JsonAsync(request, result);
    }
}
