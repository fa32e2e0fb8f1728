using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Integration.Imports;
using Integration.Imports.Csv;
using Integration.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Integration.Benchmark;

/// <summary>
/// The measured modes and the diagnostics. All compose the app exactly as production does (<c>AddIntegration</c>) and use
/// its <see cref="BlobServiceClient"/> and its named import HttpClient, so they differ only in what happens between
/// reading the blob and writing the request.
/// </summary>
internal static class Measure
{
    private const int BlobReadBufferBytes = 4 * 1024 * 1024; // as ImportHandler opens the blob
    private const int CopyBufferBytes = 1024 * 1024;          // as StreamedRangesContent copies
    private const long SplitPartBytes = 128L * 1024 * 1024;   // import-split: parts after the 413

    /// <summary>
    /// Baseline: the blob, read the way the handler reads it (OpenReadAsync, 4 MiB ranges), POSTed as it is to
    /// <c>/_sandbox/sink</c>, which drains it; no parsing on either side. The second baseline, <c>raw-streaming</c>, reads it
    /// with one streamed GET instead. The third, <c>raw-multipart</c>, sends that stream as the import's multipart body to
    /// the sandbox's import endpoint itself (which, in the bench, checks the request and drains the body: <c>DrainImports</c>), with the app's bearer token.
    /// </summary>
    public static async Task<int> RawAsync(Dictionary<string, string?> settings, string mode)
    {
        using var host = await StartHostAsync(settings);
        var blob = Blob(host.Services);
        var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(DragonfruitImportClient.HttpClientName);
        if (Warm)
        {
            await CopyAsync(host.Services, settings, http, await WarmUpBlobAsync(host.Services), mode);
        }

        var clock = Stopwatch.StartNew();
        var (received, length) = await CopyAsync(host.Services, settings, http, blob, mode);
        clock.Stop();

        if (received != length)
        {
            Console.Error.WriteLine($"The sink received {received} bytes of {length}.");
            return 1;
        }

        PrintResult(mode, received, clock.Elapsed, null, null);
        return 0;
    }

    /// <summary>One raw copy of <paramref name="blob"/> as <paramref name="mode"/> does it: (bytes the server received, bytes read).</summary>
    private static async Task<(long Received, long Length)> CopyAsync(IServiceProvider services, Dictionary<string, string?> settings, HttpClient http, BlobClient blob, string mode)
    {
        var sink = new Uri(new Uri(settings["Dragonfruit:BaseUrl"]!), "_sandbox/sink");
        Stream source;
        long length;
        if (mode is "raw-streaming" or "raw-multipart")
        {
            BlobDownloadStreamingResult download = await blob.DownloadStreamingAsync();
            (source, length) = (download.Content, download.Details.ContentLength);
        }
        else
        {
            source = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = BlobReadBufferBytes });
            length = source.Length;
        }

        await using var disposeSource = source;
        using var content = new StreamContent(source, CopyBufferBytes) { Headers = { ContentLength = length } };
        if (mode == "raw-multipart")
        {
            // The same bytes as the import's multipart body, to the same import endpoint, with the same bearer: what the
            // pipeline adds (checks, ledger, report) apart from the partner's own work on an import.
            var bearer = await services.GetRequiredService<DragonfruitTokenProvider>().GetBearerTokenAsync(CancellationToken.None);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            using var form = new MultipartFormDataContent { { content, "sites", "bench.csv" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(settings["Dragonfruit:BaseUrl"]!), "customer/42/sites/import")) { Content = form };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (length, length);
        }

        using (var response = await http.PostAsync(sink, content))
        {
            response.EnsureSuccessStatusCode();
            return (JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("bytes").GetInt64(), length);
        }
    }

    /// <summary>
    /// A Function App instance is warm after its first invocation. Unless <c>BENCH_COLD=1</c>, each process first runs its own
    /// path once on a 10 KB file (JIT, connections, TLS to Key Vault, the bearer, the tables), outside the timer, so the
    /// measured transfer holds no one-time start-up cost; cold figures (<c>BENCH_COLD=1</c>) include it.
    /// </summary>
    private static bool Warm => Environment.GetEnvironmentVariable("BENCH_COLD") != "1";

    private static async Task<BlobClient> WarmUpBlobAsync(IServiceProvider services)
    {
        var text = new System.Text.StringBuilder("site_id,name,address\n");
        for (var row = 1; text.Length < 10_000; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"W{row},Warm {row},\"{row} Main St, Springfield\"\n");
        }

        var blob = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Bench.Container).GetBlobClient("42/sites/warm-up.csv");
        await blob.UploadAsync(BinaryData.FromString(text.ToString()), overwrite: true);
        return blob;
    }

    /// <summary>The real pipeline: <see cref="ImportHandler.HandleAsync"/> on the blob, with a fresh ledger so it is never "already imported".</summary>
    /// <param name="split">
    /// The 413 path: the sandbox answers the first upload 413 (a queued fault), so the handler plans parts of
    /// <see cref="SplitPartBytes"/> (one more read of the blob) and sends them one after another.
    /// </param>
    /// <param name="known">
    /// The limit learned before (by an earlier file): the size-limit table says the file's size was refused and a part of
    /// <see cref="SplitPartBytes"/> accepted, so the handler plans the parts up front and gets no 413.
    /// </param>
    public static async Task<int> ImportAsync(Dictionary<string, string?> settings, bool split = false, bool known = false)
    {
        settings["Imports:LedgerTable"] = $"bench{Guid.NewGuid():N}"[..20];
        settings["Imports:SizeLimitsTable"] = $"limits{Guid.NewGuid():N}"[..20];
        if (known)
        {
            settings["Imports:MaxPartBytes"] = SplitPartBytes.ToString(CultureInfo.InvariantCulture);
        }

        if (split)
        {
            settings["Imports:MaxPartBytes"] = SplitPartBytes.ToString(CultureInfo.InvariantCulture);
        }

        using var host = await StartHostAsync(settings);
        var blob = Blob(host.Services);
        var handler = host.Services.GetRequiredService<ImportHandler>();
        if (Warm && (await handler.HandleAsync(await WarmUpBlobAsync(host.Services), CancellationToken.None)).Status != ImportStatus.Succeeded)
        {
            Console.Error.WriteLine("The warm-up import failed.");
            return 1;
        }

        if (split)
        {
            using var admin = new HttpClient();
            using var fault = await admin.PostAsync(
                new Uri(new Uri(settings["Dragonfruit:BaseUrl"]!), "_sandbox/faults/import"),
                new StringContent("[{\"status\":413}]", System.Text.Encoding.UTF8, "application/json"));
            fault.EnsureSuccessStatusCode();
        }

        using var timeline = new HttpTimeline();
        if (known)
        {
            var limits = host.Services.GetRequiredService<UploadSizeLimits>();
            var endpoint = host.Services.GetRequiredService<DragonfruitImportClient>().Endpoint;
            await limits.RefusedAsync(endpoint, (await blob.GetPropertiesAsync()).Value.ContentLength, CancellationToken.None);
            await limits.AcceptedAsync(endpoint, SplitPartBytes, CancellationToken.None);
        }

        var clock = Stopwatch.StartNew();
        var outcome = await handler.HandleAsync(blob, CancellationToken.None);
        clock.Stop();

        if (outcome.Status != ImportStatus.Succeeded)
        {
            Console.Error.WriteLine($"Import ended {outcome.Status}; report {outcome.ReportBlob}.");
            return 1;
        }

        // The upload is the one POST to .../sites/import; the validation pass is the run of ranged GETs of the blob before it.
        var requests = timeline.Requests;
        var uploads = requests.Where(r => r.Url.EndsWith("/sites/import", StringComparison.Ordinal)).ToList();
        var upload = uploads[0];
        if (Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1")
        {
            foreach (var r in requests.OrderBy(r => r.Start))
            {
                Console.Error.WriteLine($"{(r.Start - requests.Min(q => q.Start)).TotalMilliseconds,8:F0} ms {r.Duration.TotalMilliseconds,8:F0} ms {r.Method} {r.Url}");
            }
        }

        var validation = requests.Where(r => r.Method == "GET" && r.Url == blob.Uri.AbsoluteUri && r.Start < upload.Start).ToList();
        var report = await host.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings.GetValueOrDefault("Imports:ResultsContainer") ?? "import-results")
            .GetBlobClient(ImportReports.ReportName(blob.Name)).DownloadContentAsync();
        var bytes = JsonDocument.Parse(report.Value.Content.ToString()).RootElement.GetProperty("bytes").GetInt64();
        PrintResult(known ? "import-known" : split ? "import-split" : "import", bytes, clock.Elapsed, validation.Count == 0 ? TimeSpan.Zero : validation.Max(r => r.Start + r.Duration) - validation.Min(r => r.Start), TimeSpan.FromTicks(uploads.Sum(u => u.Duration.Ticks)));
        return 0;
    }

    /// <summary>
    /// Diagnostics, not compared: the blob read alone as the handler reads it (<c>read</c>: OpenReadAsync, 4 MiB ranged GETs,
    /// one after another), as one streamed GET (<c>read-streaming</c>), and the handler's validation pass alone (<c>validate</c>).
    /// </summary>
    public static async Task<int> ReadAsync(Dictionary<string, string?> settings, string mode)
    {
        using var host = await StartHostAsync(settings);
        var blob = Blob(host.Services);
        var clock = Stopwatch.StartNew();
        long bytes;
        if (mode == "read-streaming")
        {
            BlobDownloadStreamingResult download = await blob.DownloadStreamingAsync();
            await using var content = download.Content;
            bytes = await DrainAsync(content);
        }
        else
        {
            await using var source = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = BlobReadBufferBytes });
            if (mode == "validate")
            {
                var inspection = await CsvInspector.InspectAsync(source, new CsvLimits { MaxBytes = new ImportsOptions().MaxFileBytes });
                if (inspection is not CsvInspection.Valid valid)
                {
                    Console.Error.WriteLine($"The generated CSV is invalid: {inspection}");
                    return 1;
                }

                bytes = valid.Bytes;
            }
            else
            {
                bytes = await DrainAsync(source);
            }
        }

        PrintResult(mode, bytes, clock.Elapsed, null, null);
        return 0;
    }

    private static async Task<long> DrainAsync(Stream source)
    {
        var buffer = new byte[CopyBufferBytes];
        long bytes = 0;
        for (int read; (read = await source.ReadAsync(buffer)) > 0;)
        {
            bytes += read;
        }

        return bytes;
    }

    /// <summary>Tab-separated: mode, bytes, seconds, seconds of the validation pass, seconds of the upload request, bytes allocated, GCs of generation 0/1/2.</summary>
    private static void PrintResult(string mode, long bytes, TimeSpan elapsed, TimeSpan? validation, TimeSpan? upload)
    {
        static string Seconds(TimeSpan? span) => span is { } s ? s.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) : "";
        Console.WriteLine($"RESULT\t{mode}\t{bytes}\t{Seconds(elapsed)}\t{Seconds(validation)}\t{Seconds(upload)}\t{GC.GetTotalAllocatedBytes(precise: true)}\t{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }

    private static BlobClient Blob(IServiceProvider services) =>
        services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Bench.Container).GetBlobClient(Bench.BlobName);

    internal static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Azure.Core", LogLevel.Error).AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries the result only
        builder.AddIntegration();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Every outgoing HttpClient request of this process (the runtime's "System.Net.Http" activities), with its timing.</summary>
    internal sealed class HttpTimeline : IDisposable
    {
        private readonly ActivityListener listener;
        private readonly List<(string Method, string Url, DateTime Start, TimeSpan Duration)> requests = [];

        public HttpTimeline()
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "System.Net.Http",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    lock (requests)
                    {
                        requests.Add((activity.GetTagItem("http.request.method") as string ?? "", activity.GetTagItem("url.full") as string ?? "", activity.StartTimeUtc, activity.Duration));
                    }
                },
            };
            ActivitySource.AddActivityListener(listener);
        }

        public IReadOnlyList<(string Method, string Url, DateTime Start, TimeSpan Duration)> Requests
        {
            get
            {
                lock (requests)
                {
                    return [.. requests];
                }
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
