using Integration.Imports;
using Integration.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary>
/// <c>integration imports list|reimport|resolve</c>: failed, rejected and held imports from the ledger; re-running one on
/// request; settling one held for a lost answer with what the operator found in Dragonfruit.
/// </summary>
internal static class ImportsOpsCommand
{
    private const string ListUsage = "integration imports list [--status failed,rejected,...|all] [--since 24h|ISO-TIME] [--json] [--remote] [--settings FILE]";
    private const string ReimportUsage = "integration imports reimport BLOB-NAME [--json] [--remote] [--settings FILE]";
    private const string ResolveUsage = "integration imports resolve BLOB-NAME --arrived|--lost [--json] [--remote] [--settings FILE]";

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

        return outcome.Status is ImportStatus.Succeeded or ImportStatus.SucceededWithRowErrors ? OpsOutput.Done : OpsOutput.Problems;
    });

    public static Task<int> ResolveAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        var args = OpsArguments.Parse(rest);
        if (args.Check(1, "--arrived", "--lost", "--json", "--remote", "--settings") is { } problem)
        {
            return await OpsOutput.UsageAsync(ResolveUsage, problem);
        }

        var arrived = args.Present.Contains("--arrived");
        if (arrived == args.Present.Contains("--lost"))
        {
            return await OpsOutput.UsageAsync(ResolveUsage, "say what you found in Dragonfruit: --arrived (it has the rows) or --lost (it has not)");
        }

        var blob = args.Positional[0];
        using var connection = OpsConnection.Open(args);
        var outcome = connection.IsRemote
            ? await connection.PostAsync<ImportOutcome>("ops/imports/resolve", new ResolveImportCommand(blob, arrived), CancellationToken.None)
            : await connection.Services.GetRequiredService<ImportOperations>().ResolveAsync(blob, arrived, OpsConnection.Actor, CancellationToken.None);
        if (args.Json)
        {
            OpsOutput.Json(outcome);
        }
        else
        {
            Console.WriteLine($"{blob}: resolved as {(arrived ? "arrived" : "lost")}, then {outcome.Status}; report {outcome.ReportBlob}");
        }

        return outcome.Status is ImportStatus.Succeeded or ImportStatus.SucceededWithRowErrors ? OpsOutput.Done : OpsOutput.Problems;
    });
}
