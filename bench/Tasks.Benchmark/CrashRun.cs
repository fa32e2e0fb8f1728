using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Integration.Imports;
using Integration.Partners;
using Integration.Sandbox;
using Integration.Local.Tasks;
using Integration.Tasks.Messages;
using Integration.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Benchmark.Tasks;

/// <summary>
/// Kill and restart (a harness, not a test): the app runs as a real process (<c>integration run --local-queue</c>) against
/// an Azurite and a partner sandbox that outlive it (the sandbox lives in this process), and is killed (SIGKILL) at
/// random moments, then started again, while it works through task messages and CSV drops (some split after a 413).
/// Files held for a lost answer (the process died after a part's body went out in full) are then settled as an
/// operator would, with <c>integration imports resolve</c> after checking the partner. Then it checks: every task at its
/// latest version, no older version after a newer one, every file imported, and no upload (whole file or part)
/// received twice.
/// </summary>
internal static class CrashRun
{
    public static async Task<int> RunAsync(string storage, string cli, int messages, int files, int kills)
    {
        await using var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { FragmentRequestsPerMinute = null, MaxUploadBytes = 256 * 1024, KeepContentUpToBytes = 0 });
        sandbox.Secrets.Set(new TokensOptions().RefreshTokenSecretName, sandbox.CurrentRefreshToken);
        sandbox.Secrets.Set(new FragmentOptions().ApiTokenSecretName, new SandboxOptions().FragmentApiToken);
        var run = Guid.NewGuid().ToString("N")[..8];
        var settings = sandbox.AppSettings();
        settings["Storage:ConnectionString"] = storage;
        settings["Tasks:VersionTable"] = $"crashv{run}";
        settings["Tasks:RequestLogTable"] = $"crashr{run}";
        settings["Tasks:ClaimDuration"] = "00:00:05";
        settings["Fragment:AttemptTimeout"] = "00:00:02"; // the claim must outlast a send (validated on start): 3 s + 1 s < 5 s
        settings["Fragment:TotalTimeout"] = "00:00:03";
        settings["Fragment:RateLimit:MaxWait"] = "00:00:01";
        settings["Tasks:RetryBaseDelay"] = "00:00:01";
        settings["Fragment:RateLimit:Table"] = $"crashl{run}";
        settings["Fragment:RateLimit:RequestsPerMinute"] = "100000";
        settings["Fragment:RateLimit:Burst"] = "50";
        settings["Tokens:LockContainer"] = $"crash-locks-{run}";
        settings["Imports:Container"] = $"crash-imports-{run}";
        settings["Imports:ResultsContainer"] = $"crash-results-{run}";
        settings["Imports:LedgerTable"] = $"crashledger{run}";
        settings["Imports:MaxPartBytes"] = $"{200 * 1024}";
        settings["Imports:LocalPollInterval"] = "00:00:00.500";
        settings["Imports:AttemptTimeout"] = "00:00:10";
        settings["Imports:TotalTimeout"] = "00:00:20";
        settings["Imports:ClaimDuration"] = "00:00:30"; // a killed run's files are taken over 30 s later
        settings["LocalTaskQueue:QueueName"] = $"crash-{run}";
        settings["LocalTaskQueue:DeadLetterQueueName"] = $"crash-{run}-dlq";
        settings["LocalTaskQueue:PollInterval"] = "00:00:00.200";
        settings["LocalTaskQueue:VisibilityTimeout"] = "00:00:05"; // a killed consumer's message comes back soon
        settings["LocalTaskQueue:MaxDeliveryCount"] = "1000";
        var settingsFile = Path.Combine(Path.GetTempPath(), $"crash-{run}.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(settings.Where(s => s.Value is not null).ToDictionary()));

        using var seeder = await TasksBench.StartHostAsync(settings, services: s => s.AddLocalTaskQueue());
        var expected = await SeedTasksAsync(seeder.Services.GetRequiredService<LocalTaskQueue>(), messages, run);
        var blobs = await SeedFilesAsync(seeder.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings["Imports:Container"]), files);

        var results = seeder.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings["Imports:ResultsContainer"]);
        var clock = Stopwatch.StartNew();
        var random = new Random(3);
        var killed = 0;
        bool Done() => expected.All(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value) && Imported(sandbox, blobs) == blobs.Count;

        // Files held for a lost answer (Imports:WhenAnswerLost=Hold) wait for the operator step below.
        async Task<bool> SettledAsync() => expected.All(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value)
            && Imported(sandbox, blobs) + (await HeldAsync(results, blobs.Keys)).Count == blobs.Count;
        while (killed < kills && !Done())
        {
            using var app = StartApp(cli, settingsFile);
#pragma warning disable CA5394 // timing jitter, not security
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(800, 4000)));
#pragma warning restore CA5394
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            killed++;
            Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds,5:F0} s: kill {killed}: {expected.Count(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value)}/{expected.Count} tasks, {Imported(sandbox, blobs)}/{blobs.Count} files");
        }

        using (var last = StartApp(cli, settingsFile))
        {
            var deadline = clock.Elapsed + TimeSpan.FromMinutes(5);
            while (!await SettledAsync() && clock.Elapsed < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync();
        }

        var held = await HeldAsync(results, blobs.Keys);
        var resolutions = new List<string>();
        foreach (var (blob, report) in held)
        {
            // The operator's check in Dragonfruit: an import of this file with the held part's bytes and rows.
            var part = report.GetProperty("parts").EnumerateArray().Last();
            var (bytes, rows) = (part.GetProperty("bytes").GetInt64(), part.GetProperty("rowCount").GetInt64());
            var arrived = sandbox.Imports.Select(i => i.Sheets["sites"]).Any(s => s.FileName == Path.GetFileName(blob) && s.Bytes == bytes && s.Records - 1 == rows);
            var exit = await RunCliAsync(cli, "imports", "resolve", blob, arrived ? "--arrived" : "--lost", "--settings", settingsFile, "--Logging:LogLevel:Default=Warning");
            resolutions.Add($"{(arrived ? "arrived" : "lost")} (exit {exit})");
            Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds,5:F0} s: {blob} held at part {report.GetProperty("answerLost").GetProperty("part").GetInt32()}: resolved as {resolutions[^1]}");
        }

        File.Delete(settingsFile);
        return Report(sandbox, expected, blobs, killed, clock.Elapsed, resolutions);
    }

    /// <summary>Files whose report says <c>outcome_unknown</c>: a part's answer was lost and the file waits for an operator.</summary>
    private static async Task<List<(string Blob, JsonElement Report)>> HeldAsync(BlobContainerClient results, IEnumerable<string> blobs)
    {
        var held = new List<(string, JsonElement)>();
        foreach (var blob in blobs)
        {
            var report = results.GetBlobClient(ImportReports.ReportName(blob));
            if (await report.ExistsAsync())
            {
                var json = JsonDocument.Parse((await report.DownloadContentAsync()).Value.Content.ToString()).RootElement.Clone();
                if (json.GetProperty("status").GetString() == ImportStatus.Unknown)
                {
                    held.Add((blob, json));
                }
            }
        }

        return held;
    }

    private static int Report(PartnerSandbox sandbox, Dictionary<Guid, string> expected, IReadOnlyDictionary<string, int> blobs, int killed, TimeSpan elapsed, List<string> resolutions)
    {
        var atLatest = expected.Count(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value);
        var regressions = sandbox.Tasks.History.GroupBy(h => h.Uid)
            .Count(g => g.Select(h => Version(h.Body)).Zip(g.Select(h => Version(h.Body)).Skip(1)).Any(pair => pair.Second < pair.First));
        var uploads = sandbox.Imports.Select(i => i.Sheets["sites"].Sha256Hex).ToList();
        var repeatedUploads = uploads.GroupBy(h => h).Sum(g => g.Count() - 1);
        var rows = sandbox.Imports.Select(i => i.Sheets["sites"]).DistinctBy(s => s.Sha256Hex).Sum(s => (long)Math.Max(0, s.Records - 1));
        var text = new StringBuilder();
        void Row(string measure, object value) => text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {value} |");
        text.AppendLine("| measure | value |").AppendLine("|---|---:|");
        Row("kills (SIGKILL 0.8–4 s into each run) / run s", $"{killed} / {elapsed.TotalSeconds:F0}");
        Row("tasks at their latest version", $"**{atLatest} / {expected.Count}**");
        Row("tasks where an older version landed after a newer one", $"**{regressions}**");
        Row("files imported (all their rows received)", $"**{Imported(sandbox, blobs)} / {blobs.Count}**");
        Row("data rows received (distinct uploads) / dropped", $"{rows} / {blobs.Values.Sum()}");
        Row("uploads received (whole files or parts) / received more than once", $"{uploads.Count} / **{repeatedUploads}**");
        Row("files held for a lost answer, then resolved by the operator step (`imports resolve`)", resolutions.Count == 0 ? "0" : $"{resolutions.Count}: {string.Join(", ", resolutions)}");
        var ok = atLatest == expected.Count && regressions == 0 && Imported(sandbox, blobs) == blobs.Count && repeatedUploads == 0;
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Verdict: **{(ok ? "nothing lost, nothing stale, nothing imported twice" : "FAILED")}**.");
        Console.Write(text.ToString());
        return ok ? 0 : 1;
    }

    /// <summary>Files whose rows the sandbox received in full (in one upload or in parts), by the row count in their name.</summary>
    private static int Imported(PartnerSandbox sandbox, IReadOnlyDictionary<string, int> blobs)
    {
        // Distinct uploads only: a part received twice counts once.
        var received = sandbox.Imports.Select(i => i.Sheets["sites"]).DistinctBy(s => s.Sha256Hex)
            .GroupBy(s => s.FileName ?? "").ToDictionary(g => g.Key, g => g.Sum(s => (long)Math.Max(0, s.Records - 1)));
        return blobs.Count(b => received.GetValueOrDefault(Path.GetFileName(b.Key)) >= b.Value);
    }

    private static int Version(string body) => int.Parse(JsonDocument.Parse(body).RootElement.GetProperty("fields").GetProperty("title").GetString()![1..], CultureInfo.InvariantCulture);

    private static async Task<int> RunCliAsync(string cli, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Console.Error.Write(await process.StandardOutput.ReadToEndAsync());
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static Process StartApp(string cli, string settingsFile)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { cli, "run", "--local-queue", "--settings", settingsFile, "--Logging:LogLevel:Default=Warning" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<Dictionary<Guid, string>> SeedTasksAsync(LocalTaskQueue queue, int messages, string run)
    {
        var latest = new Dictionary<Guid, string>();
        var bodies = new List<string>();
        for (var task = 0; bodies.Count < messages; task++)
        {
            var key = $"crash-{run}-{task}";
            var versions = task % 4 == 0 ? 3 : 1;
            for (var version = 1; version <= versions; version++)
            {
                bodies.Add($$"""{"external_id":"{{key}}","status":"TODO","fields":{"title":"v{{version}}"},"version":{{version}}}""");
            }

            latest[FragmentUid.FromExternalId(key)] = $"v{versions}";
        }

        await queue.CreateIfNotExistsAsync(CancellationToken.None);
        foreach (var body in bodies.OrderBy(b => b.GetHashCode(StringComparison.Ordinal)))
        {
            await queue.SendAsync(BinaryData.FromString(body));
        }

        return latest;
    }

    /// <summary>CSV drops of 2,000 to 30,000 rows (80 KB to 1.2 MB: most split after a 413); answers blob name → data rows.</summary>
    private static async Task<Dictionary<string, int>> SeedFilesAsync(BlobContainerClient container, int files)
    {
        await container.CreateIfNotExistsAsync();
        var dropped = new Dictionary<string, int>();
        for (var file = 0; file < files; file++)
        {
            var rows = 2000 + (file * 3797 % 28000);
            var csv = new StringBuilder("site_id,name,address\n");
            for (var row = 1; row <= rows; row++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"F{file}S{row},Site {row},\"{row} Main St, Springfield\"\n");
            }

            var name = $"42/sites/crash-{file}.csv";
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(csv.ToString()), overwrite: true);
            dropped[name] = rows;
        }

        return dropped;
    }

}
