using System.CommandLine;
using Integration.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary><c>integration requests list --since T</c>: the request log (one row per Fragment attempt) in a time window.</summary>
internal static class RequestsCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var since = CliOptions.Time("--since", "The window's start.", required: true);
        var until = CliOptions.Time("--until", "The window's end (default: now).");
        var task = new Option<string?>("--task") { Description = "Only this task (its Fragment UID).", HelpName = "UID" };
        var status = new Option<string?>("--status") { Description = "Only this status: 2xx, 4xx, 5xx, none (no answer) or a code.", HelpName = "2xx|4xx|5xx|none|CODE" };
        var (json, remote) = (CliOptions.Json(), CliOptions.Remote());
        var list = new Command("list", $"Every Fragment attempt in a window (at most {RequestLogQuery.MaxRows}).") { since, until, task, status, json, remote };
        list.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote));
            var now = connection.Time.GetUtcNow();
            if (!OpsJson.TryParseTime(parse.GetValue(since), now, out var from))
            {
                return await OpsOutput.UsageAsync("--since: an ISO 8601 time or a duration such as 2h");
            }

            DateTimeOffset? to = null;
            if (parse.GetValue(until) is { } text)
            {
                if (!OpsJson.TryParseTime(text, now, out var parsed))
                {
                    return await OpsOutput.UsageAsync($"--until: '{text}' is neither an ISO 8601 time nor a duration such as 1h");
                }

                to = parsed;
            }

            var (uid, code) = (parse.GetValue(task), parse.GetValue(status));
            var rows = connection.IsRemote
                ? await connection.GetAsync<List<RequestSummary>>(
                    $"ops/requests?since={Uri.EscapeDataString(from.ToString("O"))}{(to is { } u ? $"&until={Uri.EscapeDataString(u.ToString("O"))}" : "")}"
                    + $"{(uid is { } t ? $"&task={Uri.EscapeDataString(t)}" : "")}{(code is { } s ? $"&status={Uri.EscapeDataString(s)}" : "")}",
                    cancellationToken)
                : await connection.Services.GetRequiredService<RequestLogQuery>().ListAsync(from, to, uid, code, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(rows);
                return OpsOutput.Done;
            }

            Console.WriteLine($"{rows.Count} Fragment attempt(s) since {from:u}{(rows.Count >= RequestLogQuery.MaxRows ? $" (the first {RequestLogQuery.MaxRows}: narrow the window)" : "")}:");
            foreach (var r in rows)
            {
                Console.WriteLine($"  {r.At:u}  {r.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "---"}  {r.Endpoint}  task {r.TaskUid} {r.Version ?? "(no version)"}  attempt {r.Attempt} ({r.Trigger})  request id {r.PartnerRequestId ?? "-"}{(r.Error is { } e ? $"  {e}" : "")}");
            }

            return OpsOutput.Done;
        }));
        return new Command("requests", "The request log: one row per Fragment attempt.") { list };
    }
}
