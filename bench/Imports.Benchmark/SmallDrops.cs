using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Integration.Imports;
using Integration.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Benchmark;

/// <summary>
/// Many small drops through one warm, long-running handler (as a Function App instance runs them: four at a time, host.json
/// <c>maxDegreeOfParallelism</c>), beside the bare upload calls of the same bytes to the same endpoint (no storage, no
/// checks, no ledger, no report). Counts the storage calls per file at the HTTP level (every request to Azurite).
/// Prints a markdown table.
/// </summary>
internal static class SmallDrops
{
    private const int Parallelism = 4;
    private const int Rounds = 2;

    public static async Task<int> RunAsync(Dictionary<string, string?> settings, int files)
    {
        settings["Imports:Container"] = "small-drops";
        settings["Imports:LedgerTable"] = $"small{Guid.NewGuid():N}"[..20];
        using var host = await Measure.StartHostAsync(settings);
        var container = host.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient("small-drops");
        await container.CreateIfNotExistsAsync();
        var contents = Enumerable.Range(0, files).Select(Csv).ToList();
        var names = new List<string>();
        for (var i = 0; i < files; i++)
        {
            names.Add($"42/sites/small-{i:D5}.csv");
            await container.GetBlobClient(names[^1]).UploadAsync(BinaryData.FromString(contents[i]), overwrite: true);
        }

        var handler = host.Services.GetRequiredService<ImportHandler>();
        var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(DragonfruitImportClient.HttpClientName);
        var endpoint = new Uri(new Uri(settings["Dragonfruit:BaseUrl"]!), "customer/42/sites/import");
        var bearer = await host.Services.GetRequiredService<DragonfruitTokenProvider>().GetBearerTokenAsync(CancellationToken.None);
        await handler.HandleAsync(container.GetBlobClient("42/sites/warm-up.csv"), CancellationToken.None); // warm: gone, one log line
        await BareAsync(http, endpoint, bearer, contents[..1]);

        if (Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1")
        {
            // One import alone, each HTTP request with its start and duration: where a small file's time goes.
            using var single = new Measure.HttpTimeline();
            var clock = Stopwatch.StartNew();
            await handler.HandleAsync(container.GetBlobClient(names[^1]), CancellationToken.None);
            var total = clock.Elapsed;
            var first = single.Requests.Min(r => r.Start);
            foreach (var r in single.Requests.OrderBy(r => r.Start))
            {
                Console.Error.WriteLine($"{(r.Start - first).TotalMilliseconds,8:F1} ms {r.Duration.TotalMilliseconds,8:F1} ms {r.Method} {r.Url}");
            }

            Console.Error.WriteLine($"total {total.TotalMilliseconds:F1} ms");
            names.RemoveAt(names.Count - 1);
            contents.RemoveAt(contents.Count - 1);
        }

        var storage = new[] { settings["Storage:ConnectionString"]! }.SelectMany(StorageEndpoints).ToList();
        TimeSpan importTime = TimeSpan.Zero, bareTime = TimeSpan.Zero, floorTime = TimeSpan.Zero;
        var tables = host.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>();
        var storageCalls = 0;
        var slice = files / Rounds;
        for (var round = 0; round < Rounds; round++)
        {
            var mine = names.Skip(round * slice).Take(slice).ToList();
            using (var timeline = new Measure.HttpTimeline())
            {
                var clock = Stopwatch.StartNew();
                await Parallel.ForEachAsync(mine, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (name, ct) =>
                {
                    var outcome = await handler.HandleAsync(container.GetBlobClient(name), ct);
                    if (outcome.Status != ImportStatus.Succeeded)
                    {
                        throw new InvalidOperationException($"{name}: {outcome.Status}");
                    }
                });
                importTime += clock.Elapsed;
                storageCalls += timeline.Requests.Count(r => storage.Any(s => r.Url.StartsWith(s, StringComparison.Ordinal)));
            }

            var clockBare = Stopwatch.StartNew();
            await BareAsync(http, endpoint, bearer, contents.Skip(round * slice).Take(slice).ToList());
            bareTime += clockBare.Elapsed;

            var clockFloor = Stopwatch.StartNew();
            await StorageFloorAsync(container, tables, mine);
            floorTime += clockFloor.Elapsed;
        }

        var measured = slice * Rounds;
        var importRate = measured / importTime.TotalSeconds;
        var bareRate = measured / bareTime.TotalSeconds;
        var kb = contents.Average(c => c.Length) / 1024.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            | {measured} drops of {kb:F1} KB, {Parallelism} at a time | files/s | × bare uploads | storage calls per file |
            |---|---:|---:|---:|
            | import (warm handler) | {importRate:F1} | **{importRate / bareRate:F2}×** | **{(double)storageCalls / measured:F2}** |
            | bare uploads (same bytes, same endpoint) | {bareRate:F1} | 1.00× | 0 |
            | the same five storage calls alone, no upload (the floor storage sets) | {measured / floorTime.TotalSeconds:F1} | {measured / floorTime.TotalSeconds / bareRate:F2}× | 5 |
            """));
        return 0;
    }

    private static async Task BareAsync(HttpClient http, Uri endpoint, string bearer, IReadOnlyList<string> contents) =>
        await Parallel.ForEachAsync(contents, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (csv, ct) =>
        {
            using var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } };
            using var form = new MultipartFormDataContent { { file, "sites", "small.csv" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = form };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });

    /// <summary>
    /// What one import asks of storage, without anything else: read the blob (one ranged GET), insert a row, merge a row,
    /// upload a small blob, replace the first row: the import's five calls one after another, four files at a time.
    /// </summary>
    private static async Task StorageFloorAsync(BlobContainerClient container, Azure.Data.Tables.TableServiceClient tables, IReadOnlyList<string> names)
    {
        var table = tables.GetTableClient($"floor{Guid.NewGuid():N}"[..20]);
        await table.CreateIfNotExistsAsync();
        var results = container.GetParentBlobServiceClient().GetBlobContainerClient("small-floor");
        await results.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (name, ct) =>
        {
            var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)));
            using (var download = (await container.GetBlobClient(name).DownloadStreamingAsync(new Azure.Storage.Blobs.Models.BlobDownloadOptions { Range = new Azure.HttpRange(0, 1024 * 1024) }, ct)).Value)
            {
                await BinaryData.FromStreamAsync(download.Content, ct);
            }

            var row = new Azure.Data.Tables.TableEntity(key, "import") { ["Status"] = "in_progress" };
            var added = await table.AddEntityAsync(row, ct);
            await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity(key, "whole") { ["Status"] = "awaiting_answer" }, Azure.Data.Tables.TableUpdateMode.Merge, ct);
            await results.GetBlobClient(name + ".report.json").UploadAsync(BinaryData.FromString("{}"), overwrite: true, ct);
            row["Status"] = "succeeded";
            await table.UpdateEntityAsync(row, added.Headers.ETag ?? Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace, ct);
        });
    }

    /// <summary>About 10 KB of sites, different per file.</summary>
    private static string Csv(int file)
    {
        var text = new StringBuilder("site_id,name,address\n");
        for (var row = 1; text.Length < 10_000; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"S{file}-{row},Site {row},\"{row} Main St, Springfield\"\n");
        }

        return text.ToString();
    }

    private static IEnumerable<string> StorageEndpoints(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.Contains("Endpoint=", StringComparison.Ordinal))
            .Select(p => p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]);
}
