using System.Globalization;
using Integration.DeadLetters;
using Integration.Operations.DeadLetters;
using Integration.Operations.DeadLetters.Archive;
using Integration.Operations.Identity;
using Microsoft.Extensions.Options;

namespace Integration.Operations.Api;

/// <summary>
/// <c>GET ops/deadletters</c> (paged; bodies with <c>bodies=true</c>) and <c>GET ops/deadletters/groups</c> (query:
/// fingerprint, reason, id, since, until); <c>POST ops/deadletters/redrive</c> (a <see cref="RedriveCommand"/>: one
/// bounded slice per call, sized to end within <see cref="OpsApi.CallBudget"/> at the requested velocity;
/// <c>reachedMaximum</c> asks for another call) and <c>POST ops/deadletters/discard</c> (a <see cref="DiscardCommand"/>).
/// </summary>
public sealed class DeadLetterEndpoints(
    DeadLetterInspector inspector, DeadLetterRedrive redrive, DeadLetterDiscard discard, IOptions<OperationsOptions> options, TimeProvider time) : IOpsEndpoints
{
    public IEnumerable<OpsRoute> Routes =>
    [
        new("get", "deadletters", OpsAccess.Read, "ListDeadLetters", ListAsync),
        new("get", "deadletters/groups", OpsAccess.Read, "GroupDeadLetters", GroupsAsync),
        new("post", "deadletters/redrive", OpsAccess.Operate, "RedriveDeadLetters", RedriveAsync),
        new("post", "deadletters/discard", OpsAccess.Operate, "DiscardDeadLetters", DiscardAsync),
    ];

    private async Task<OpsApiAnswer> ListAsync(OpsCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        if (OpsApiParameters.First(
            Filter(request, out var filter), OpsPaging.Size(request.QueryValue("max"), out var size), Skip(request, out var skip),
            OpsApiParameters.Flag("bodies", request.QueryValue("bodies"), out var bodies)) is { } problem)
        {
            return OpsApiAnswer.BadRequest(problem);
        }

        var (messages, more) = await inspector.PageAsync(filter!, skip, size, cancellationToken);
        return OpsApiAnswer.Ok(new OpsPage<DeadLetterSummary>(
            [.. messages.Select(m => DeadLetterSummary.Of(m, bodies))],
            more ? OpsPaging.Encode((skip + messages.Count).ToString(CultureInfo.InvariantCulture)) : null));
    }

    private async Task<OpsApiAnswer> GroupsAsync(OpsCall call, CancellationToken cancellationToken) =>
        Filter(call.Request, out var filter) is { } problem
            ? OpsApiAnswer.BadRequest(problem)
            : OpsApiAnswer.Ok(await inspector.GroupAsync(filter!, cancellationToken));

    private async Task<OpsApiAnswer> RedriveAsync(OpsCall call, CancellationToken cancellationToken) =>
        RedriveSlice.TryRead(call, "redrive", time.GetUtcNow(), options.Value, out var request) is { } refused
            ? refused
            : OpsApiAnswer.Ok(await redrive.RunAsync(request!, progress: null, cancellationToken));

    private async Task<OpsApiAnswer> DiscardAsync(OpsCall call, CancellationToken cancellationToken)
    {
        if (call.Request.BodyAs<DiscardCommand>() is not { } command)
        {
            return OpsApiAnswer.BadRequest("Expected a JSON discard command (fingerprints, reasons, messageIds, since, until, dryRun, maxMessages, note).");
        }

        return command.ToFilter(time.GetUtcNow(), out var problem) is { } filter
            ? OpsApiAnswer.Ok(await discard.RunAsync(new DiscardRequest(filter, command.DryRun, call.Actor, command.MaxMessages, command.Note), cancellationToken))
            : OpsApiAnswer.BadRequest(problem!);
    }

    private string? Filter(OpsApiRequest request, out DeadLetterFilter? filter)
    {
        filter = new RedriveCommand(
            Fingerprints: request.QueryValues("fingerprint"),
            Reasons: request.QueryValues("reason"),
            MessageIds: request.QueryValues("id"),
            Since: request.QueryValue("since"),
            Until: request.QueryValue("until")).ToFilter(time.GetUtcNow(), out var problem);
        return problem;
    }

    // The dead-letter listing's position is how many matching messages came before (peeking has no other key locally).
    private static string? Skip(OpsApiRequest request, out int skip)
    {
        skip = 0;
        return OpsPaging.Cursor(request.QueryValue("after"), out var position) ?? (position is null
            || (int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out skip) && skip <= OpsLimits.MaxMessages)
                ? null
                : "after: not a position in the dead-letter listing");
    }
}
