using Integration.DeadLetters;
using Integration.Operations;
using Integration.Operations.DeadLetters;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Options;

namespace Integration.Functions.Operations;

/// <summary>
/// <c>GET ops/deadletters</c> and <c>GET ops/deadletters/groups</c> (query: fingerprint, reason, id, since, until),
/// <c>POST ops/deadletters/redrive</c> (a <see cref="RedriveCommand"/>): one bounded slice per call, sized so that it
/// ends within <see cref="OpsHttp.Budget"/> at the requested velocity; <c>reachedMaximum</c> asks for another call.
/// </summary>
public sealed class DeadLetterOpsFunctions(DeadLetterInspector inspector, DeadLetterRedrive redrive, IOptions<OperationsOptions> options, TimeProvider time, OpsAuthorizer authorizer)
{
    [Function("ListDeadLetters")]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/deadletters")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (_, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Read, "ListDeadLetters");
        if (refusal is not null)
        {
            return refusal;
        }

        if (Filter(request, out var problem) is not { } filter)
        {
            return await OpsHttp.BadRequestAsync(request, problem!);
        }

        var found = new List<DeadLetterSummary>();
        await foreach (var message in inspector.ListAsync(filter, cancellationToken))
        {
            found.Add(DeadLetterSummary.Of(message));
        }

        return await OpsHttp.JsonAsync(request, found);
    }

    [Function("GroupDeadLetters")]
    public async Task<HttpResponseData> Groups(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/deadletters/groups")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (_, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Read, "GroupDeadLetters");
        if (refusal is not null)
        {
            return refusal;
        }

        return Filter(request, out var problem) is { } filter
            ? await OpsHttp.JsonAsync(request, await inspector.GroupAsync(filter, cancellationToken))
            : await OpsHttp.BadRequestAsync(request, problem!);
    }

    [Function("RedriveDeadLetters")]
    public async Task<HttpResponseData> Redrive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "ops/deadletters/redrive")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var (actor, refusal) = await OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.Operate, "RedriveDeadLetters");
        if (refusal is not null)
        {
            return refusal;
        }

        string? problem = null;
        if (await OpsHttp.ReadAsync<RedriveCommand>(request) is not { } command || command.ToFilter(time.GetUtcNow(), out problem) is not { } filter)
        {
            return await OpsHttp.BadRequestAsync(request, problem ?? "Expected a JSON redrive command (fingerprints, reasons, messageIds, since, until, dryRun, messagesPerSecond, maxMessages).");
        }

        var rate = command.MessagesPerSecond ?? options.Value.MessagesPerSecond;
        var slice = (int)Math.Max(1, Math.Min(command.MaxMessages ?? options.Value.MaxMessages, rate * OpsHttp.Budget.TotalSeconds));
        var result = await redrive.RunAsync(new RedriveRequest(filter, command.DryRun, actor, rate, slice, command.Pass), progress: null, cancellationToken);
        return await OpsHttp.JsonAsync(request, result);
    }

    private DeadLetterFilter? Filter(HttpRequestData request, out string? problem) =>
        new RedriveCommand(
            Fingerprints: Split(request.Query["fingerprint"]),
            Reasons: Split(request.Query["reason"]),
            MessageIds: Split(request.Query["id"]),
            Since: request.Query["since"],
            Until: request.Query["until"]).ToFilter(time.GetUtcNow(), out problem);

    private static string[]? Split(string? values) => values?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
