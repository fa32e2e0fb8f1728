using Integration.Imports;
using Integration.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary><c>integration imports list|reimport</c>: failed and rejected imports from the ledger; re-running one on request.</summary>
internal static class ImportsOpsCommand
{
    private const string ListUsage = "integration imports list [--status failed,rejected,...|all] [--since 24h|ISO-TIME] [--json] [--remote] [--settings FILE]";
    private const string ReimportUsage = "integration imports reimport BLOB-NAME [--json] [--remote] [--settings FILE]";

    public static Task<int> ListAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        var args = OpsArguments.Parse(rest);
        if (args.Check(0, "--status", "--since", "--json", "--remote", "--settings") is { } problem)
        {
            return await OpsOutput.UsageAsync(ListUsage, problem);
        }

        using var connection = OpsConnection.Open(args);
        var statuses = args.Values("--status") is { Count: > 0 } given ? (given.Contains("all") ? [] : given) : ImportOperations.ProblemStatuses;
        DateTimeOffset? since = null;
        if (args.Value("--since") is { } text)
        {
            if (!OpsJson.TryParseTime(text, connection.Time.GetUtcNow(), out var parsed))
            {
                return await OpsOutput.UsageAsync(ListUsage, $"--since: '{text}' is neither an ISO 8601 time nor a duration such as 24h");
            }

            since = parsed;
        }

        var imports = connection.IsRemote
            ? await connection.GetAsync<List<ImportSummary>>($"ops/imports?status={Uri.EscapeDataString(string.Join(',', statuses))}{(since is { } s ? $"&since={Uri.EscapeDataString(s.ToString("O"))}" : "")}", CancellationToken.None)
            : await connection.Services.GetRequiredService<ImportOperations>().ListAsync(statuses, since, CancellationToken.None);
        if (args.Json)
        {
            OpsOutput.Json(imports);
        }
        else
        {
            Console.WriteLine($"{imports.Count} import(s) with status {(statuses.Count == 0 ? "any" : string.Join(" or ", statuses))}{(since is { } t ? $" since {t:u}" : "")}:");
            foreach (var import in imports)
            {
                Console.WriteLine($"  {import.UpdatedAt:u}  {import.Status,-26} {import.Blob}  (partner {import.PartnerStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, request id {import.PartnerRequestId ?? "-"}, report {import.ReportBlob ?? "-"})");
            }
        }

        return OpsOutput.Done;
    });

    public static Task<int> ReimportAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        var args = OpsArguments.Parse(rest);
        if (args.Check(1, "--json", "--remote", "--settings") is { } problem)
        {
            return await OpsOutput.UsageAsync(ReimportUsage, problem);
        }

        var blob = args.Positional[0];

        using var connection = OpsConnection.Open(args);
        var outcome = connection.IsRemote
            ? await connection.PostAsync<ImportOutcome>("ops/imports/reimport", new ReimportCommand(blob), CancellationToken.None)
            : await connection.Services.GetRequiredService<ImportOperations>().ReimportAsync(blob, OpsConnection.Actor, CancellationToken.None);
        if (args.Json)
        {
            OpsOutput.Json(outcome);
        }
        else
        {
            Console.WriteLine($"{blob}: imported again, {outcome.Status}; report {outcome.ReportBlob}");
        }

        return outcome.Status is ImportOutcome.Succeeded or ImportOutcome.SucceededWithRowErrors ? OpsOutput.Done : OpsOutput.Problems;
    });
}
