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
/// With a list of partner answer times (the sandbox's queued delays), both are measured at each: against an instant partner
/// the import is bound by storage, against a partner that takes time to answer, by the partner. Prints a markdown table.
/// </summary>
internal static class SmallDrops
{
    private const int Parallelism = 4;
    private const int Rounds = 2;

    public static async Task<int> RunAsync(Dictionary<string, string?> settings, int files, IReadOnlyList<int> partnerMilliseconds)
    {
        settings["Imports:Container"] = "small-drops";
        settings["Imports:LedgerTable"] = $"small{Guid.NewGuid():N}"[..20];
        using var host = await Measure.StartHostAsync(settings);
        var container = host.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient("small-drops");
        await container.CreateIfNotExistsAsync();
        var contents = Enumerable.Range(0, files).Select(Csv).ToList();
        var names = Enumerable.Range(0, files).Select(i => $"42/sites/small-{i:D5}.csv").ToList();

        var handler = host.Services.GetRequiredService<ImportHandler>();
        var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(DragonfruitImportClient.HttpClientName);
        var baseUrl = new Uri(settings["Dragonfruit:BaseUrl"]!);
        var endpoint = new Uri(baseUrl, "customer/42/sites/import");
        var bearer = await host.Services.GetRequiredService<DragonfruitTokenProvider>().GetBearerTokenAsync(CancellationToken.None);
        await handler.HandleAsync(container.GetBlobClient("42/sites/warm-up.csv"), CancellationToken.None); // warm: gone, one log line
        await BareAsync(http, endpoint, bearer, contents[..1]);

        if (Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1")
        {
            await UploadAsync(container, names[..1], contents[..1]);
            await TimelineAsync(handler, container.GetBlobClient(names[0]));
        }

        var storage = new[] { settings["Storage:ConnectionString"]! }.SelectMany(StorageEndpoints).ToList();
        var tables = host.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>();
        var rows = new List<string>();
        double? floorRate = null;
        foreach (var delay in partnerMilliseconds)
        {
            await UploadAsync(container, names, contents); // new versions: imported again, whatever an earlier latency did
            TimeSpan importTime = TimeSpan.Zero, bareTime = TimeSpan.Zero, floorTime = TimeSpan.Zero;
            var storageCalls = 0;
            var slice = files / Rounds;
            for (var round = 0; round < Rounds; round++)
            {
                var mine = names.Skip(round * slice).Take(slice).ToList();
                await DelayAnswersAsync(baseUrl, mine.Count, delay);
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

                await DelayAnswersAsync(baseUrl, mine.Count, delay);
                var clockBare = Stopwatch.StartNew();
                await BareAsync(http, endpoint, bearer, contents.Skip(round * slice).Take(slice).ToList());
                bareTime += clockBare.Elapsed;

                if (floorRate is null)
                {
                    var clockFloor = Stopwatch.StartNew();
                    await StorageFloorAsync(container, tables, mine);
                    floorTime += clockFloor.Elapsed;
                }
            }

            var measured = slice * Rounds;
            var importRate = measured / importTime.TotalSeconds;
            var bareRate = measured / bareTime.TotalSeconds;
            floorRate ??= measured / floorTime.TotalSeconds;
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {delay} ms | {importRate:F1} | {bareRate:F1} | **{importRate / bareRate:F2}×** | **{(double)storageCalls / measured:F2}** |"));
        }

        var kb = contents.Average(c => c.Length) / 1024.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            | {files / Rounds * Rounds} drops of {kb:F1} KB, {Parallelism} at a time; Dragonfruit answers after | import files/s (warm handler) | bare uploads files/s (same bytes, same endpoint) | import × bare | storage calls per file |
            |---|---:|---:|---:|---:|
            {string.Join('\n', rows)}

            The import's five storage calls alone, no upload (the floor storage sets): {floorRate:F1} files/s.
            """));
        return 0;
    }

    /// <summary>One import alone, each HTTP request with its start and duration: where a small file's time goes.</summary>
    private static async Task TimelineAsync(ImportHandler handler, BlobClient blob)
    {
        using var single = new Measure.HttpTimeline();
        var clock = Stopwatch.StartNew();
        await handler.HandleAsync(blob, CancellationToken.None);
        var total = clock.Elapsed;
        var first = single.Requests.Min(r => r.Start);
        foreach (var r in single.Requests.OrderBy(r => r.Start))
        {
            Console.Error.WriteLine($"{(r.Start - first).TotalMilliseconds,8:F1} ms {r.Duration.TotalMilliseconds,8:F1} ms {r.Method} {r.Url}");
        }

        Console.Error.WriteLine($"total {total.TotalMilliseconds:F1} ms");
    }

    private static async Task UploadAsync(BlobContainerClient container, List<string> names, List<string> contents) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await container.GetBlobClient(names[i]).UploadAsync(BinaryData.FromString(contents[i]), overwrite: true, ct));

    /// <summary>The next <paramref name="calls"/> import calls are answered after <paramref name="milliseconds"/> (the sandbox's queued faults).</summary>
    private static async Task DelayAnswersAsync(Uri baseUrl, int calls, int milliseconds)
    {
        if (milliseconds <= 0)
        {
            return;
        }

        using var admin = new HttpClient();
        using var clear = await admin.DeleteAsync(new Uri(baseUrl, "_sandbox/faults"));
        clear.EnsureSuccessStatusCode();
        var faults = "[" + string.Join(',', Enumerable.Repeat(string.Create(CultureInfo.InvariantCulture, $"{{\"delayMs\":{milliseconds}}}"), calls)) + "]";
        using var enqueue = await admin.PostAsync(new Uri(baseUrl, "_sandbox/faults/import"), new StringContent(faults, Encoding.UTF8, "application/json"));
        enqueue.EnsureSuccessStatusCode();
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
