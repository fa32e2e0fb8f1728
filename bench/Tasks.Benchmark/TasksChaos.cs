using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Integration.DeadLetters;
using Integration.Partners;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Local.Tasks;
using Integration.Tasks.Messages;
using Integration.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Integration.Benchmark.Tasks;

/// <summary>
/// Chaos run (a harness, not a test): MESSAGES task messages through the local run's queue stand-in and INSTANCES
/// consumers (each an app host of its own, as scaled-out instances), while the sandbox answers 30 % 5xx, 10 % 429 with
/// Retry-After, drops 2 % of connections and delays every answer by up to 50 ms. Some tasks get several versions, sent
/// out of order; 1 % of the messages are invalid. It ends when every message is settled, then checks that every valid
/// task is in Fragment at its latest version, that no older version ever landed after a newer one, that only the invalid
/// messages were dead-lettered (each InvalidMessage), and that the request log has a row for every attempt the sandbox saw.
/// </summary>
internal static class TasksChaos
{
    public static async Task<int> RunAsync(string storage, int messages, int instances, TimeSpan limit)
    {
        await using var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { FragmentRequestsPerMinute = null });
        sandbox.Secrets.Set(new TokensOptions().RefreshTokenSecretName, sandbox.CurrentRefreshToken);
        sandbox.Secrets.Set(new FragmentOptions().ApiTokenSecretName, new SandboxOptions().FragmentApiToken);
        var chaos = new ChaosFaults(seed: 7, serverErrors: 0.30, tooManyRequests: 0.10, drops: 0.02, maxLatency: TimeSpan.FromMilliseconds(50), retryAfter: TimeSpan.FromSeconds(1));
        sandbox.Faults.SetChaos("tasks", chaos.Next);

        var run = Guid.NewGuid().ToString("N")[..10];
        var settings = sandbox.AppSettings();
        settings["Storage:ConnectionString"] = storage;
        settings["Tasks:VersionTable"] = $"chaosv{run}";
        settings["Tasks:RequestLogTable"] = $"chaosr{run}";
        settings["Fragment:RateLimit:Table"] = $"chaosl{run}";
        settings["Fragment:RateLimit:RequestsPerMinute"] = "100000"; // the faults are the point here, not the budget
        settings["Fragment:RateLimit:Burst"] = "50";
        settings["Fragment:RetryBaseDelay"] = "00:00:00.200";
        settings["Tasks:RetryBaseDelay"] = "00:00:01";
        settings["Tasks:RetryMaxDelay"] = "00:00:05";
        settings["Tasks:MaxAttempts"] = "40"; // 0.4^3 per delivery: transient failures must not exhaust a valid task
        settings["Tasks:ClaimDuration"] = "00:00:55"; // longer than Fragment:TotalTimeout + Fragment:RateLimit:MaxWait (validated on start)
        settings["LocalTaskQueue:QueueName"] = $"chaos-{run}";
        settings["LocalTaskQueue:DeadLetterQueueName"] = $"chaos-{run}-dlq";
        settings["LocalTaskQueue:PollInterval"] = "00:00:00.200";
        settings["LocalTaskQueue:VisibilityTimeout"] = "00:01:00";
        settings["LocalTaskQueue:MaxDeliveryCount"] = "100";

        var (bodies, expected, invalid) = Generate(messages, run);
        var hosts = new List<IHost>();
        var clock = Stopwatch.StartNew();
        try
        {
            var sender = await TasksBench.StartHostAsync(settings, LogLevel.Error, s => s.AddLocalDeadLetterQueue());
            hosts.Add(sender);
            var queue = sender.Services.GetRequiredService<LocalTaskQueue>();
            await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (body, ct) => await queue.SendAsync(BinaryData.FromString(body), cancellationToken: ct));
            Console.Error.WriteLine($"{bodies.Count} messages queued in {clock.Elapsed.TotalSeconds:F0} s; {instances} consumers start");
            for (var i = 0; i < instances; i++)
            {
                hosts.Add(await TasksBench.StartHostAsync(settings, LogLevel.Error, s => s.AddLocalDeadLetterQueue().AddLocalTaskQueueConsumer()));
            }

            var deadLetters = sender.Services.GetRequiredService<IDeadLetterQueue>();
            List<DeadLetteredMessage> dead = [];
            while (clock.Elapsed < limit)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                dead = await deadLetters.PeekAsync(CancellationToken.None).ToListAsync();
                var done = expected.Count(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value);
                Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds,5:F0} s: {done}/{expected.Count} tasks at their latest version, {dead.Count} dead-lettered, {sandbox.Calls.Count("tasks")} PUT attempts seen");
                if (done == expected.Count && dead.Count >= invalid && await QueueEmptyAsync(storage, settings["LocalTaskQueue:QueueName"]!))
                {
                    break;
                }
            }

            var elapsed = clock.Elapsed;
            foreach (var host in hosts)
            {
                await host.StopAsync();
            }

            var log = await sender.Services.GetRequiredService<RequestLog>().SinceAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None).ToListAsync();
            return Report(sandbox, expected, invalid, dead, log, messages, instances, elapsed, limit);
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }

    /// <summary>Task messages: a fifth of the tasks in 2–3 versions sent newest-first or shuffled, 1 % invalid, all shuffled.</summary>
    private static (List<string> Bodies, Dictionary<Guid, string> Latest, int Invalid) Generate(int messages, string run)
    {
        var random = new Random(11);
        var bodies = new List<string>();
        var latest = new Dictionary<Guid, string>();
        var invalid = 0;
        for (var task = 0; bodies.Count < messages; task++)
        {
#pragma warning disable CA5394 // test data, not security
            if (random.NextDouble() < 0.01)
            {
                bodies.Add(random.Next(3) switch
                {
                    0 => """{"external_id":"x","status":"SOMEDAY","version":1}""",
                    1 => "not json at all",
                    _ => """{"status":"TODO","version":1}""",
                });
                invalid++;
                continue;
            }

            var key = $"chaos-{run}-{task}";
            var versions = random.NextDouble() < 0.2 ? random.Next(2, 4) : 1;
            for (var version = 1; version <= versions && bodies.Count < messages; version++)
            {
                bodies.Add($$"""{"external_id":"{{key}}","status":"TODO","fields":{"title":"v{{version}}"},"version":{{version}}}""");
                latest[FragmentUid.FromExternalId(key)] = $"v{version}";
            }
        }

        var shuffled = bodies.OrderBy(_ => random.Next()).ToList();
#pragma warning restore CA5394
        return (shuffled, latest, invalid);
    }

    private static int Report(PartnerSandbox sandbox, Dictionary<Guid, string> expected, int invalid, List<DeadLetteredMessage> dead, List<RequestLogEntity> log, int messages, int instances, TimeSpan elapsed, TimeSpan limit)
    {
        var atLatest = expected.Count(e => sandbox.Tasks.Get(e.Key)?.Title == e.Value);
        var regressions = sandbox.Tasks.History
            .Where(h => h.At > DateTimeOffset.MinValue)
            .GroupBy(h => h.Uid)
            .Count(g => g.Select(h => Version(h.Body)).Zip(g.Select(h => Version(h.Body)).Skip(1)).Any(pair => pair.Second < pair.First));
        var deadInvalid = dead.Count(d => d.Reason == TaskDeadLetterReasons.InvalidMessage);
        var attempts = sandbox.Calls.Count("tasks");
        var text = new StringBuilder();
        void Row(string measure, object value) => text.AppendLine(CultureInfo.InvariantCulture, $"| {measure} | {value} |");
        text.AppendLine("| measure | value |").AppendLine("|---|---:|");
        Row("messages (valid tasks, of which several versions / invalid)", $"{messages} ({expected.Count} tasks / {invalid})");
        Row("consumers (app hosts)", instances);
        Row("faults: 5xx / 429 (Retry-After 1 s) / dropped / latency", "30 % / 10 % / 2 % / 0–50 ms");
        Row("run s (until every message settled)", elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture));
        Row("tasks at their latest version in Fragment", $"**{atLatest} / {expected.Count}**");
        Row("tasks where an older version landed after a newer one", $"**{regressions}**");
        Row("dead-lettered: InvalidMessage / other", $"**{deadInvalid} / {dead.Count - deadInvalid}** (invalid sent: {invalid})");
        Row("PUT attempts seen by the sandbox / request-log rows", $"**{attempts} / {log.Count}**");
        Row("accepted PUTs (2xx)", sandbox.Tasks.PutCount);
        var ok = atLatest == expected.Count && regressions == 0 && deadInvalid == invalid && dead.Count == invalid && attempts == log.Count && elapsed < limit;
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Verdict: **{(ok ? "nothing lost, nothing stale, only the invalid dead-lettered, every attempt logged" : "FAILED")}**.");
        Console.Write(text.ToString());
        return ok ? 0 : 1;
    }

    private static int Version(string body) => int.Parse(JsonDocument.Parse(body).RootElement.GetProperty("fields").GetProperty("title").GetString()![1..], CultureInfo.InvariantCulture);

    private static async Task<bool> QueueEmptyAsync(string storage, string queue)
    {
        var properties = await new Azure.Storage.Queues.QueueClient(storage, queue).GetPropertiesAsync();
        return properties.Value.ApproximateMessagesCount == 0;
    }
}
