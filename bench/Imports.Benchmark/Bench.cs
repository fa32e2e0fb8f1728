using System.Text.Json;

namespace Integration.Benchmark;

internal static class Bench
{
    /// <summary>The default imports container and a name the handler accepts ({customer_id}/{sheet}/{file}.csv).</summary>
    public const string Container = "imports";
    public const string BlobName = "42/sites/bench.csv";

    /// <summary>The app settings (<c>Section:Key</c>) that <c>serve</c> wrote: the sandbox's and Azurite's connection string.</summary>
    public static Dictionary<string, string?> LoadSettings(string path) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(File.ReadAllText(path))
        ?? throw new InvalidOperationException($"No settings in {path}.");

    public static int Usage()
    {
        Console.Error.WriteLine("""
            imports-bench serve SETTINGS.json STORAGE    the partner sandbox; writes its app settings plus Storage:ConnectionString
                                                         STORAGE (an Azurite's) to SETTINGS.json, runs until SIGTERM/SIGINT
            imports-bench generate SETTINGS.json SIZE_MB  uploads a generated CSV of about SIZE_MB MiB to Azurite, streamed
            imports-bench raw SETTINGS.json               baseline: blob stream POSTed to the sandbox's /_sandbox/sink
            imports-bench import SETTINGS.json            ImportHandler.HandleAsync on the blob (validate, then streamed upload)
            imports-bench read|read-streaming|validate|raw-streaming SETTINGS.json
                                                         diagnostics: the blob read as the handler reads it, read as one GET,
                                                         the validation pass alone, the raw copy read as one GET
            imports-bench report RUNS.tsv                 markdown tables from the runs bench/run-imports.sh collected
            """);
        return 2;
    }
}
