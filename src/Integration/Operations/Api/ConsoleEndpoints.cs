using Integration.DeadLetters;
using Integration.Operations.DeadLetters;
using Integration.Operations.DeadLetters.Archive;
using Integration.Operations.Identity;
using Microsoft.Extensions.Options;

namespace Integration.Operations.Api;

/// <summary>
/// The read endpoints the ops console needs beside the others: <c>GET ops/tokens</c> (<see cref="TokenStatusQuery"/>),
/// <c>GET ops/requests/minutes?since=1h</c> (<see cref="RequestMinutesQuery"/>), <c>GET ops/imports/report?blob=…</c>
/// (<see cref="ImportReportQuery"/>), and the archive: <c>GET ops/deadletters/archived</c> (filters as the dead-letters',
/// <c>max</c>) and <c>POST ops/deadletters/archived/restore</c> (a <see cref="RedriveCommand"/>, one bounded slice).
/// </summary>
public sealed class ConsoleEndpoints(
    TokenStatusQuery tokens, RequestMinutesQuery minutes, ImportReportQuery reports, DeadLetterArchive archive, ArchiveRestore restore,
    IOptions<OperationsOptions> options, TimeProvider time) : IOpsEndpoints
{
    public IEnumerable<OpsRoute> Routes =>
    [
        new("get", "tokens", OpsAccess.Read, "TokenStatus", async (_, ct) => OpsApiAnswer.Ok(await tokens.GetAsync(ct))),
        new("get", "requests/minutes", OpsAccess.Read, "RequestMinutes", MinutesAsync),
        new("get", "imports/report", OpsAccess.Read, "ImportReport", ReportAsync),
        new("get", "deadletters/archived", OpsAccess.Read, "ListArchivedDeadLetters", ArchivedAsync),
        new("post", "deadletters/archived/restore", OpsAccess.Operate, "RestoreArchivedDeadLetters", RestoreAsync),
    ];

    private async Task<OpsApiAnswer> MinutesAsync(OpsCall call, CancellationToken cancellationToken)
    {
        var text = call.Request.QueryValue("since") ?? "1h";
        return OpsLimits.Time("since", text, time.GetUtcNow(), out var since) is { } problem
            ? OpsApiAnswer.BadRequest(problem)
            : OpsApiAnswer.Ok(await minutes.CountAsync(since!.Value, cancellationToken));
    }

    private async Task<OpsApiAnswer> ReportAsync(OpsCall call, CancellationToken cancellationToken)
    {
        if (call.Request.QueryValue("blob") is not { Length: > 0 } blob)
        {
            return OpsApiAnswer.BadRequest("blob is required: {customer_id}/{sheet}/{file}.csv");
        }

        try
        {
            return await reports.GetAsync(blob, cancellationToken) is { } report
                ? OpsApiAnswer.Ok(report)
                : OpsApiAnswer.Error(404, $"blob: no report for '{blob}' yet");
        }
        catch (InvalidBlobNameException e)
        {
            return OpsApiAnswer.BadRequest($"blob: {e.Message}");
        }
    }

    private async Task<OpsApiAnswer> ArchivedAsync(OpsCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        var filter = new RedriveCommand(request.QueryValues("fingerprint"), request.QueryValues("reason"), request.QueryValues("id"), request.QueryValue("since"), request.QueryValue("until"))
            .ToFilter(time.GetUtcNow(), out var problem);
        if (OpsApiParameters.First(problem, OpsPaging.Size(request.QueryValue("max"), out var size)) is { } refused)
        {
            return OpsApiAnswer.BadRequest(refused);
        }

        var entries = await archive.ListAsync(filter!, size + 1, cancellationToken).ToListAsync(cancellationToken);
        var listed = entries.Take(size).Select(e => new ArchivedSummary(e.Blob, e.ArchivedAt, e.ArchivedBy, e.Note, DeadLetterSummary.Of(e.Message))).ToList();
        return OpsApiAnswer.Ok(new { Items = listed, Next = (string?)null, More = entries.Count > size }); // the archive has no cursor: more says the first max were listed
    }

    private async Task<OpsApiAnswer> RestoreAsync(OpsCall call, CancellationToken cancellationToken) =>
        RedriveSlice.TryRead(call, "restore", time.GetUtcNow(), options.Value, out var request) is { } refused
            ? refused
            : OpsApiAnswer.Ok(await restore.RunAsync(request!, progress: null, cancellationToken));
}

/// <summary>One archived dead-letter as the console lists it (body left out).</summary>
public sealed record ArchivedSummary(string Blob, DateTimeOffset ArchivedAt, string ArchivedBy, string? Note, DeadLetterSummary DeadLetter);
