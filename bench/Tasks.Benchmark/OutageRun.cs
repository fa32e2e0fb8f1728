using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Integration.Imports;
using Integration.Local.Imports;
using Integration.Local.Tasks;
using Integration.Partners;
using Integration.Sandbox.Local;
using Integration.Sandbox;
using Integration.Tasks.Messages;
using Integration.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Benchmark.Tasks;

/// <summary>What goes down in an <see cref="OutageRun"/>.</summary>
public enum Outage
{
    /// <summary>Azurite (blobs, queues, tables) stopped (SIGTERM) and started again on the same ports and data.</summary>
    Storage,

    /// <summary>The sandbox's Key Vault answers every request 503.</summary>
    KeyVault,
}

/// <summary>
/// Outage run (a harness; tests/Integration.Tests/Outages runs a short one): a producer sends task messages (a fifth of
/// the tasks in 2–3 versions, out of order) into the local queue stand-in and drops CSV files into the imports container
/// at a steady pace, while INSTANCES app hosts consume both; in the middle, storage or Key Vault goes down for SPAN.
/// The producer retries what it could not send, as a real sender would. It ends when every task is at its latest version,
/// every file imported (or held for an operator) and the queue is empty, then reports what was lost, what was sent
/// twice, what landed older-after-newer, and what the partners accepted while the outage lasted (tokens from cache).
/// The app must settle within LIMIT of the producer's last send: how long producing takes depends on the machine (a busy
/// one sends slower, and storage takes longer to come back), not on the app.
/// </summary>
internal static class OutageRun
{
    public static async Task<OutageReport> RunAsync(
        string repositoryRoot, Outage outage, TimeSpan span, int messages, int files, int instances, TimeSpan produceOver, TimeSpan limit, Action<ILoggingBuilder> logging)
    {
        await using var azurite = await AzuriteProcess.StartAsync(repositoryRoot);
        await using var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { FragmentRequestsPerMinute = null, RotateRefreshToken = true });
        sandbox.Secrets.Set(new TokensOptions().RefreshTokenSecretName, sandbox.CurrentRefreshToken);
        sandbox.Secrets.Set(new FragmentOptions().ApiTokenSecretName, new SandboxOptions().FragmentApiToken);
        var settings = Settings(sandbox, azurite.ConnectionString);
        var (bodies, latest) = TaskMessages(messages);
        var drops = Files(files);

        var hosts = new List<IHost>();
        var clock = Stopwatch.StartNew();
        try
        {
            var producer = await StartHostAsync(settings, logging, s => s.AddLocalDeadLetterQueue());
            hosts.Add(producer);
            var queue = producer.Services.GetRequiredService<LocalTaskQueue>();
            await queue.CreateIfNotExistsAsync(CancellationToken.None);
            var container = producer.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings["Imports:Container"]);
            await container.CreateIfNotExistsAsync();
            for (var i = 0; i < instances; i++)
            {
                hosts.Add(await StartHostAsync(settings, logging, s =>
                {
                    s.AddLocalDeadLetterQueue().AddLocalTaskQueueConsumer();
                    s.AddHostedService<LocalImportWatcher>();
                }));
            }

            var producing = ProduceAsync(queue, container, bodies, drops, produceOver);
            bool Done() => latest.All(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value) && Imported(sandbox, drops) == drops.Count;

            // The outage starts once both pipelines are under way (a task accepted and a file imported), tokens cached.
            await UntilAsync(() => sandbox.Tasks.PutCount >= latest.Count / 5 && sandbox.Imports.Count >= 2, clock, produceOver + limit);
            var (putsBefore, importsBefore) = (sandbox.Tasks.PutCount, sandbox.Imports.Count);
            var vaultCallsBefore = sandbox.Calls.Count(SandboxRoutes.KeyVault);
            var down = clock.Elapsed;
            if (outage == Outage.Storage)
            {
                await azurite.StopAsync();
            }
            else
            {
                sandbox.Faults.SetChaos(SandboxRoutes.KeyVault, () => Fault.WithStatus(503));
            }

            await Task.Delay(span); // the outage itself
            var during = (Puts: sandbox.Tasks.PutCount - putsBefore, Imports: sandbox.Imports.Count - importsBefore, VaultCalls: sandbox.Calls.Count(SandboxRoutes.KeyVault) - vaultCallsBefore);
            if (outage == Outage.Storage)
            {
                await azurite.RestartAsync();
            }
            else
            {
                sandbox.Faults.SetChaos(SandboxRoutes.KeyVault, null);
            }

            var up = clock.Elapsed;
            try
            {
                await producing.WaitAsync(produceOver + limit);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"The producer had not sent every message and file {(produceOver + limit).TotalSeconds:F0} s after the outage ended (storage not back?)."));
            }

            var produced = clock.Elapsed;
            var queues = new QueueServiceClient(azurite.ConnectionString);
            var dead = 0;
            await UntilAsync(
                async () =>
                {
                    dead = (await queue.PeekDeadLettersAsync(32, CancellationToken.None)).Count;
                    return (Done() || dead > 0) && (await queues.GetQueueClient(settings["LocalTaskQueue:QueueName"]).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0;
                },
                clock,
                produced + limit);
            var elapsed = clock.Elapsed;
            foreach (var host in hosts)
            {
                await host.StopAsync();
            }

            var held = await HeldAsync(producer.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings["Imports:ResultsContainer"]), drops.Keys);
            var history = sandbox.Tasks.History;
            return new OutageReport(
                outage,
                span,
                messages,
                latest.Count,
                drops.Count,
                instances,
                down,
                up,
                produced,
                elapsed,
                TasksAtLatest: latest.Count(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value),
                Regressions: history.GroupBy(h => h.Uid).Count(g => g.Select(h => Version(h.Body)).Zip(g.Select(h => Version(h.Body)).Skip(1)).Any(pair => pair.Second < pair.First)),
                VersionsAppliedTwice: history.GroupBy(h => (h.Uid, Version(h.Body))).Sum(g => g.Count() - 1),
                AcceptedPuts: history.Count,
                FilesImported: Imported(sandbox, drops),
                FilesHeld: held,
                UploadsReceivedTwice: sandbox.Imports.GroupBy(i => i.Sheets["sites"].Sha256Hex).Sum(g => g.Count() - 1),
                DeadLettered: dead,
                PutsDuringOutage: during.Puts,
                ImportsDuringOutage: during.Imports,
                VaultCallsDuringOutage: during.VaultCalls,
                TokenCalls: sandbox.Calls.Count(SandboxRoutes.Tokens),
                Limit: limit);
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }

    private static Dictionary<string, string?> Settings(PartnerSandbox sandbox, string storage)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var settings = sandbox.AppSettings();
        settings["Storage:ConnectionString"] = storage;
        foreach (var section in new[] { "Storage", "KeyVault" })
        {
            // An outage is met by the app's own retries (the next delivery, the next poll), not by SDK retries holding a call.
            settings[$"{section}:Retry:NetworkTimeout"] = "00:00:05";
            settings[$"{section}:Retry:MaxRetries"] = "2";
            settings[$"{section}:Retry:Delay"] = "00:00:00.200";
            settings[$"{section}:Retry:MaxDelay"] = "00:00:01";
        }

        settings["Tasks:VersionTable"] = $"outagev{run}";
        settings["Tasks:RequestLogTable"] = $"outager{run}";
        settings["Tasks:ClaimDuration"] = "00:00:05";
        settings["Tasks:RetryBaseDelay"] = "00:00:01";
        settings["Tasks:RetryMaxDelay"] = "00:00:05";
        settings["Tasks:MaxAttempts"] = "100"; // an outage must not exhaust a valid task
        settings["Fragment:AttemptTimeout"] = "00:00:02";
        settings["Fragment:TotalTimeout"] = "00:00:03";
        settings["Fragment:RateLimit:MaxWait"] = "00:00:01";
        settings["Fragment:RateLimit:Table"] = $"outagel{run}";
        settings["Fragment:RateLimit:RequestsPerMinute"] = "100000"; // the outage is the point here, not the budget
        settings["Fragment:RateLimit:Burst"] = "50";
        settings["Tokens:LockContainer"] = $"outage-locks-{run}";
        settings["Imports:Container"] = $"outage-imports-{run}";
        settings["Imports:ResultsContainer"] = $"outage-results-{run}";
        settings["Imports:LedgerTable"] = $"outageledger{run}";
        settings["Imports:LocalPollInterval"] = "00:00:00.500";
        settings["Imports:AttemptTimeout"] = "00:00:10";
        settings["Imports:TotalTimeout"] = "00:00:20";
        settings["Imports:ClaimDuration"] = "00:00:45"; // outlasts the outage: a run holding an answer records it once storage is back
        settings["Imports:MaxAttempts"] = "100";
        settings["LocalTaskQueue:QueueName"] = $"outage-{run}";
        settings["LocalTaskQueue:DeadLetterQueueName"] = $"outage-{run}-dlq";
        settings["LocalTaskQueue:PollInterval"] = "00:00:00.200";
        settings["LocalTaskQueue:VisibilityTimeout"] = "00:00:05";
        settings["LocalTaskQueue:MaxDeliveryCount"] = "1000";
        return settings;
    }

    /// <summary>
    /// Sends every message and drops every file on a schedule spread over <paramref name="over"/>; what fails (storage
    /// down) is tried again, and what fell behind the schedule goes out at once, as an upstream's backlog would.
    /// </summary>
    private static async Task ProduceAsync(LocalTaskQueue queue, BlobContainerClient container, List<string> bodies, Dictionary<string, int> drops, TimeSpan over)
    {
        var pace = over / Math.Max(1, bodies.Count);
        var clock = Stopwatch.StartNew();
        var fileEvery = Math.Max(1, bodies.Count / Math.Max(1, drops.Count));
        using var files = drops.Keys.GetEnumerator();
        for (var i = 0; i < bodies.Count; i++)
        {
            var body = bodies[i];
            await UntilSentAsync(() => queue.SendAsync(BinaryData.FromString(body)));
            if (i % fileEvery == 0 && files.MoveNext())
            {
                var name = files.Current;
                await UntilSentAsync(() => container.GetBlobClient(name).UploadAsync(BinaryData.FromString(Csv(name, drops[name])), overwrite: true));
            }

            var due = pace * (i + 1) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }

        while (files.MoveNext())
        {
            var name = files.Current;
            await UntilSentAsync(() => container.GetBlobClient(name).UploadAsync(BinaryData.FromString(Csv(name, drops[name])), overwrite: true));
        }
    }

    private static async Task UntilSentAsync(Func<Task> send)
    {
        while (true)
        {
            try
            {
                await send();
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250)); // storage down: the producer keeps its message and tries again
            }
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="clock"/> reaches <paramref name="deadline"/>.</summary>
    private static async Task UntilAsync(Func<bool> condition, Stopwatch clock, TimeSpan deadline) =>
        await UntilAsync(() => Task.FromResult(condition()), clock, deadline);

    private static async Task UntilAsync(Func<Task<bool>> condition, Stopwatch clock, TimeSpan deadline)
    {
        while (clock.Elapsed < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
            {
                // Storage still coming back.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static async Task<int> HeldAsync(BlobContainerClient results, IEnumerable<string> blobs)
    {
        var held = 0;
        foreach (var blob in blobs)
        {
            var report = results.GetBlobClient(ImportReports.ReportName(blob));
            if (await report.ExistsAsync()
                && JsonDocument.Parse((await report.DownloadContentAsync()).Value.Content.ToString()).RootElement.GetProperty("status").GetString() == ImportStatus.Unknown)
            {
                held++;
            }
        }

        return held;
    }

    private static int Imported(PartnerSandbox sandbox, IReadOnlyDictionary<string, int> blobs)
    {
        var received = sandbox.Imports.Select(i => i.Sheets["sites"]).DistinctBy(s => s.Sha256Hex)
            .GroupBy(s => s.FileName ?? "").ToDictionary(g => g.Key, g => g.Sum(s => (long)Math.Max(0, s.Records - 1)));
        return blobs.Count(b => received.GetValueOrDefault(Path.GetFileName(b.Key)) >= b.Value);
    }

    private static int Version(string body) => int.Parse(JsonDocument.Parse(body).RootElement.GetProperty("fields").GetProperty("title").GetString()![1..], CultureInfo.InvariantCulture);

    private static (List<string> Bodies, Dictionary<Guid, string> Latest) TaskMessages(int messages)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var random = new Random(5);
        var bodies = new List<string>();
        var latest = new Dictionary<Guid, string>();
        for (var task = 0; bodies.Count < messages; task++)
        {
            var key = $"outage-{run}-{task}";
#pragma warning disable CA5394 // test data, not security
            var versions = random.NextDouble() < 0.2 ? random.Next(2, 4) : 1;
            var order = Enumerable.Range(1, versions).OrderBy(_ => random.Next()).ToList();
#pragma warning restore CA5394
            foreach (var version in order)
            {
                bodies.Add($$"""{"external_id":"{{key}}","status":"TODO","fields":{"title":"v{{version}}"},"version":{{version}}}""");
            }

            latest[FragmentUid.FromExternalId(key)] = $"v{versions}";
        }

        return (bodies, latest);
    }

    /// <summary>CSV drops of 500 to 4,000 rows; blob name → data rows.</summary>
    private static Dictionary<string, int> Files(int files) =>
        Enumerable.Range(0, files).ToDictionary(file => $"42/sites/outage-{file}.csv", file => 500 + (file * 1297 % 3500));

    private static string Csv(string name, int rows)
    {
        var file = Path.GetFileNameWithoutExtension(name);
        var csv = new StringBuilder("site_id,name,address\n");
        for (var row = 1; row <= rows; row++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{file}-{row},Site {row},\"{row} Main St, Springfield\"\n");
        }

        return csv.ToString();
    }

    private static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings, Action<ILoggingBuilder> logging, Action<IServiceCollection> services)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Outage" });
        builder.Configuration.AddInMemoryCollection(settings);
        logging(builder.Logging);
        builder.AddIntegration();
        services(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

/// <summary>What an <see cref="OutageRun"/> saw; <see cref="Ok"/> when nothing was lost, sent twice or applied out of order.</summary>
internal sealed record OutageReport(
    Outage Outage,
    TimeSpan Span,
    int Messages,
    int Tasks,
    int Files,
    int Instances,
    TimeSpan Down,
    TimeSpan Up,
    TimeSpan Produced,
    TimeSpan Elapsed,
    int TasksAtLatest,
    int Regressions,
    int VersionsAppliedTwice,
    int AcceptedPuts,
    int FilesImported,
    int FilesHeld,
    int UploadsReceivedTwice,
    int DeadLettered,
    int PutsDuringOutage,
    int ImportsDuringOutage,
    int VaultCallsDuringOutage,
    int TokenCalls,
    TimeSpan Limit)
{
    /// <summary>
    /// Not gated on <see cref="VersionsAppliedTwice"/>: a PUT Fragment accepted just before storage went down, whose
    /// version could not be recorded, is sent again (the same body, idempotent at Fragment) — reported, not yet prevented.
    /// </summary>
    public bool Ok => Failures.Count == 0;

    /// <summary>What went wrong, one short phrase each (empty when <see cref="Ok"/>), so a failed run says why in one line.</summary>
    public IReadOnlyList<string> Failures =>
    [
        .. TasksAtLatest == Tasks ? [] : new[] { $"{Tasks - TasksAtLatest} of {Tasks} tasks not at their latest version" },
        .. Regressions == 0 ? [] : new[] { $"{Regressions} tasks had an older version land after a newer one" },
        .. FilesImported == Files ? [] : new[] { $"{Files - FilesImported} of {Files} files not imported" },
        .. FilesHeld == 0 ? [] : new[] { $"{FilesHeld} files held for an operator" },
        .. UploadsReceivedTwice == 0 ? [] : new[] { $"{UploadsReceivedTwice} uploads received more than once" },
        .. DeadLettered == 0 ? [] : new[] { $"{DeadLettered} messages dead-lettered" },
        .. Elapsed - Produced < Limit ? [] : new[] { string.Create(CultureInfo.InvariantCulture, $"not settled within {Limit.TotalSeconds:F0} s of the last send") },
    ];

    public string Markdown()
    {
        var text = new StringBuilder();
        void Row(string measure, object value) => text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {value} |");
        text.AppendLine("| measure | value |").AppendLine("|---|---:|");
        Row("outage", Outage == Outage.Storage ? "Azurite stopped (SIGTERM), restarted on the same ports and data" : "Key Vault answers 503 to everything");
        Row("outage from / to s (span)", string.Create(CultureInfo.InvariantCulture, $"{Down.TotalSeconds:F1} / {Up.TotalSeconds:F1} ({Span.TotalSeconds:F0} s)"));
        Row("messages (tasks) / files / consumer hosts", $"{Messages} ({Tasks}) / {Files} / {Instances}");
        Row("run s: last message or file sent / everything settled", string.Create(CultureInfo.InvariantCulture, $"{Produced.TotalSeconds:F0} / {Elapsed.TotalSeconds:F0}"));
        Row("tasks at their latest version", $"**{TasksAtLatest} / {Tasks}**");
        Row("tasks where an older version landed after a newer one", $"**{Regressions}**");
        Row("versions accepted more than once: the same body resent after its record was lost (of accepted PUTs)", $"**{VersionsAppliedTwice}** (of {AcceptedPuts})");
        Row("files imported / held for an operator", $"**{FilesImported} / {Files}** / {FilesHeld}");
        Row("uploads received more than once", $"**{UploadsReceivedTwice}**");
        Row("messages dead-lettered / left in the queue", $"**{DeadLettered}** / 0 (the run ends on an empty queue)");
        Row("while down: PUTs accepted / imports received / Key Vault requests", $"{PutsDuringOutage} / {ImportsDuringOutage} / {VaultCallsDuringOutage}");
        Row("token endpoint calls (whole run)", TokenCalls);
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Verdict: **{(Ok ? "nothing lost, no upload twice, nothing older-after-newer, every message settled" : "FAILED: " + string.Join("; ", Failures))}**.");
        return text.ToString();
    }
}
