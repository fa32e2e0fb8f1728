using Integration.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary><c>integration requests list --since T</c>: the request log (one row per Fragment attempt) in a time window.</summary>
internal static class RequestsCommand
{
    private const string Usage = "integration requests list --since 2h|ISO-TIME [--until ISO-TIME] [--task UID] [--status 2xx|4xx|5xx|none|CODE] [--json] [--remote] [--settings FILE]";

    public static Task<int> ListAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        var args = OpsArguments.Parse(rest);
        if (args.Check(0, "--since", "--until", "--task", "--status", "--json", "--remote", "--settings") is { } problem)
        {
            return await OpsOutput.UsageAsync(Usage, problem);
        }

        using var connection = OpsConnection.Open(args);
        var now = connection.Time.GetUtcNow();
        if (!OpsJson.TryParseTime(args.Value("--since"), now, out var since))
        {
            return await OpsOutput.UsageAsync(Usage, "--since is required: an ISO 8601 time or a duration such as 2h");
        }

        DateTimeOffset? until = null;
        if (args.Value("--until") is { } text)
        {
            if (!OpsJson.TryParseTime(text, now, out var parsed))
            {
                return await OpsOutput.UsageAsync(Usage, $"--until: '{text}' is neither an ISO 8601 time nor a duration such as 1h");
            }

            until = parsed;
        }

        var rows = connection.IsRemote
            ? await connection.GetAsync<List<RequestSummary>>(
                $"ops/requests?since={Uri.EscapeDataString(since.ToString("O"))}{(until is { } u ? $"&until={Uri.EscapeDataString(u.ToString("O"))}" : "")}"
                + $"{(args.Value("--task") is { } t ? $"&task={Uri.EscapeDataString(t)}" : "")}{(args.Value("--status") is { } s ? $"&status={Uri.EscapeDataString(s)}" : "")}",
                CancellationToken.None)
            : await connection.Services.GetRequiredService<RequestLogQuery>().ListAsync(since, until, args.Value("--task"), args.Value("--status"), CancellationToken.None);
        if (args.Json)
        {
            OpsOutput.Json(rows);
            return OpsOutput.Done;
        }

        Console.WriteLine($"{rows.Count} Fragment attempt(s) since {since:u}{(rows.Count >= RequestLogQuery.MaxRows ? $" (the first {RequestLogQuery.MaxRows}: narrow the window)" : "")}:");
        foreach (var r in rows)
        {
            Console.WriteLine($"  {r.At:u}  {r.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "---"}  {r.Endpoint}  task {r.TaskUid} {r.Version ?? "(no version)"}  attempt {r.Attempt} ({r.Trigger})  request id {r.PartnerRequestId ?? "-"}{(r.Error is { } e ? $"  {e}" : "")}");
        }

        return OpsOutput.Done;
    });
}
