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
    public static async Task<int> ExecuteAsync(string file, string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        if (!File.Exists(file) || Arg("--customer") is not { } customer || Arg("--sheet") is not { } sheet)
        {
            await Console.Error.WriteLineAsync("usage: integration import FILE --customer ID --sheet sites|site_contacts [--local]");
            return 2;
        }

        var builder = ConsoleHost.CreateBuilder(args);
        await using var environment = await LocalEnvironment.StartIfAsync(args.Contains("--local"), builder);
        builder.AddIntegration();
        using var host = builder.Build();
        await host.StartAsync();
        var container = host.Services.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(host.Services.GetRequiredService<IOptions<ImportsOptions>>().Value.Container);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient($"{customer}/{sheet}/{Path.GetFileName(file)}");
        await blob.UploadAsync(file, overwrite: true);
        var outcome = await host.Services.GetRequiredService<ImportHandler>().HandleAsync(blob, CancellationToken.None);
        Console.WriteLine($"{blob.Name}: {outcome.Status}{(outcome.AlreadyImported ? " (already imported)" : "")}; report {outcome.ReportBlob}");
        await host.StopAsync();
        return outcome.Status is ImportStatus.Succeeded or ImportStatus.SucceededWithRowErrors ? 0 : 1;
    }
}
