using System.CommandLine;
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
    public static Command Create(IReadOnlyList<string> overrides) => new("imports", "CSV imports: the ledger, importing a file again, settling one held for a lost answer.")
    {
        List(overrides),
        Reimport(overrides),
        Resolve(overrides),
    };

    private static Command List(IReadOnlyList<string> overrides)
    {
        var status = CliOptions.List("--status", "S,...|all", $"Only these statuses (default: {string.Join(',', ImportOperations.ProblemStatuses)}); all: any.");
        var since = CliOptions.Time("--since", "Only imports updated since then.");
        var (json, remote, page) = (CliOptions.Json(), CliOptions.Remote(), CliOptions.Page());
        var command = new Command("list", "Imports from the ledger, newest first, a page at a time: by default those that failed, were rejected, poisoned or are held.")
        {
            status, since, page.Max, page.After, json, remote,
        };
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote));
            var statuses = parse.GetValue(status) is { Length: > 0 } given ? (given.Contains("all") ? [] : given) : ImportOperations.ProblemStatuses;
            var query = CliOptions.PageQuery(parse, page, [new("status", statuses.Count == 0 ? "all" : string.Join(',', statuses)), new("since", parse.GetValue(since))]);
            var imports = await connection.PageAsync<ImportSummary>("imports", query, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(imports);
                return OpsOutput.Done;
            }

            Console.WriteLine($"{imports.Items.Count} import(s) with status {(statuses.Count == 0 ? "any" : string.Join(" or ", statuses))}{(parse.GetValue(since) is { } t ? $" since {t}" : "")}{(imports.Next is null ? "" : " (one page)")}:");
            foreach (var import in imports.Items)
            {
                Console.WriteLine($"  {import.UpdatedAt:u}  {import.Status,-26} {import.Blob}  (partner {import.PartnerStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, request id {import.PartnerRequestId ?? "-"}, report {import.ReportBlob ?? "-"})");
            }

            OpsOutput.More(imports.Next, imports.Items.Count);
            return OpsOutput.Done;
        }));
        return command;
    }

    private static Command Reimport(IReadOnlyList<string> overrides)
    {
        var blob = Blob();
        var (json, remote) = (CliOptions.Json(), CliOptions.Remote());
        var command = new Command("reimport", "Import a file again although the ledger says it is done.") { blob, json, remote };
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var name = parse.GetValue(blob)!;
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote));
            var outcome = connection.IsRemote
                ? await connection.PostAsync<ImportOutcome>("ops/imports/reimport", new ReimportCommand(name), cancellationToken)
                : await connection.Services.GetRequiredService<ImportOperations>().ReimportAsync(name, OpsConnection.Actor, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(outcome);
            }
            else
            {
                Console.WriteLine($"{name}: imported again, {outcome.Status}; report {outcome.ReportBlob}");
            }

            return outcome.Status is ImportStatus.Succeeded or ImportStatus.SucceededWithRowErrors ? OpsOutput.Done : OpsOutput.Problems;
        }));
        return command;
    }

    private static Command Resolve(IReadOnlyList<string> overrides)
    {
        var blob = Blob();
        var arrived = new Option<bool>("--arrived") { Description = "Dragonfruit has the rows of the held part: go on with the next." };
        var lost = new Option<bool>("--lost") { Description = "Dragonfruit has not: send that part again." };
        var (json, remote) = (CliOptions.Json(), CliOptions.Remote());
        var command = new Command("resolve", "Settle a file held for a lost answer (outcome_unknown) with what you found in Dragonfruit: --arrived or --lost.")
        {
            blob, arrived, lost, json, remote,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(arrived) == result.GetValue(lost))
            {
                result.AddError("say what you found in Dragonfruit: --arrived (it has the rows) or --lost (it has not)");
            }
        });
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var (name, hasArrived) = (parse.GetValue(blob)!, parse.GetValue(arrived));
            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote));
            var outcome = connection.IsRemote
                ? await connection.PostAsync<ImportOutcome>("ops/imports/resolve", new ResolveImportCommand(name, hasArrived), cancellationToken)
                : await connection.Services.GetRequiredService<ImportOperations>().ResolveAsync(name, hasArrived, OpsConnection.Actor, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(outcome);
            }
            else
            {
                Console.WriteLine($"{name}: resolved as {(hasArrived ? "arrived" : "lost")}, then {outcome.Status}; report {outcome.ReportBlob}");
            }

            return outcome.Status is ImportStatus.Succeeded or ImportStatus.SucceededWithRowErrors ? OpsOutput.Done : OpsOutput.Problems;
        }));
        return command;
    }

    private static Argument<string> Blob() => new("BLOB-NAME") { Description = "The file's name in the imports container, e.g. 42/sites/file.csv." };
}
