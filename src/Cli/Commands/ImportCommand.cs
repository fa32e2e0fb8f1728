using System.CommandLine;
using Azure.Storage.Blobs;
using Integration.Imports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integration.Cli.Commands;

/// <summary>
/// <c>integration import FILE --customer ID --sheet sites|site_contacts [--local]</c>: drops a local file into the
/// imports container and forwards it through the same handler the blob trigger uses, then prints the report.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The CSV file to forward." }.AcceptExistingOnly();
        var customer = new Option<string>("--customer") { Description = "The Dragonfruit customer id.", Required = true, HelpName = "ID" };
        var sheet = new Option<string>("--sheet") { Description = "The sheet the file holds.", Required = true }.AcceptOnlyFromAmong("sites", "site_contacts");
        var local = CliOptions.Local("Start Azurite and the partner sandbox for this import.");
        var command = new Command("import", "Forward a local CSV through the import pipeline and print its report.") { file, customer, sheet, local };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = ConsoleHost.CreateBuilder(parse.Settings(overrides));
            await using var environment = await LocalEnvironment.StartIfAsync(parse.GetValue(local), builder, data: null);
            builder.AddIntegration();
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            var container = host.Services.GetRequiredService<BlobServiceClient>()
                .GetBlobContainerClient(host.Services.GetRequiredService<IOptions<ImportsOptions>>().Value.Container);
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var path = parse.GetValue(file)!.FullName;
            var blob = container.GetBlobClient($"{parse.GetValue(customer)}/{parse.GetValue(sheet)}/{Path.GetFileName(path)}");
            await blob.UploadAsync(path, overwrite: true, cancellationToken);
            var outcome = await host.Services.GetRequiredService<ImportHandler>().HandleAsync(blob, cancellationToken);
            Console.WriteLine($"{blob.Name}: {outcome.Status}{(outcome.AlreadyImported ? " (already imported)" : "")}; report {outcome.ReportBlob}");
            await host.StopAsync(CancellationToken.None);
            return outcome.Status is ImportStatus.Succeeded or ImportStatus.SucceededWithRowErrors ? IntegrationCli.Done : IntegrationCli.Problems;
        });
        return command;
    }
}
