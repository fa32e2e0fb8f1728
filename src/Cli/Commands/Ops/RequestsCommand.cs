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
        var (json, remote, page) = (CliOptions.Json(), CliOptions.Remote(), CliOptions.Page());
        var list = new Command("list", "Every Fragment attempt in a window, oldest first, a page at a time.") { since, until, task, status, page.Max, page.After, json, remote };
        list.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote));
            var query = CliOptions.PageQuery(parse, page, [new("since", parse.GetValue(since)), new("until", parse.GetValue(until)), new("task", parse.GetValue(task)), new("status", parse.GetValue(status))]);
            var rows = await connection.PageAsync<RequestSummary>("requests", query, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(rows);
                return OpsOutput.Done;
            }

            Console.WriteLine($"{rows.Items.Count} Fragment attempt(s) since {parse.GetValue(since)}{(rows.Next is null ? "" : " (one page)")}:");
            foreach (var r in rows.Items)
            {
                Console.WriteLine($"  {r.At:u}  {r.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "---"}  {r.Endpoint}  task {r.TaskUid} {r.Version ?? "(no version)"}  attempt {r.Attempt} ({r.Trigger})  request id {r.PartnerRequestId ?? "-"}{(r.Error is { } e ? $"  {e}" : "")}");
            }

            OpsOutput.More(rows.Next, rows.Items.Count);
            return OpsOutput.Done;
        }));
        return new Command("requests", "The request log: one row per Fragment attempt.") { list };
    }
}
