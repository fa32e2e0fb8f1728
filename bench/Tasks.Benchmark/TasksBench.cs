using System.Diagnostics;
using System.Globalization;
using System.Text;
using Integration.Partners;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Azure.Core;
using Azure.Data.Tables;
using Integration.Tasks.RateLimiting;

namespace Integration.Benchmark.Tasks;

/// <summary>
/// INSTANCES app hosts, each composed with <c>AddIntegration()</c> in its own container (its own rate limiter, HttpClient and
/// token cache: an "instance"), share one Azurite and one set of tables (the rate-limit bucket row among them) and send
/// distinct tasks through <see cref="ITaskHandler"/> one after another for the run's duration, against a partner sandbox
/// that answers 429 above 60 requests a minute in any sliding 60-s window.
/// </summary>
internal static class TasksBench
{
    private const int SandboxLimitPerMinute = 60;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <param name="batch">1: one message per handler call (<c>PUT /tasks/{uid}</c>); more: that many per batch-handler call (<c>PUT /tasks/batch</c>).</param>
    /// <param name="offsetSpread">Each instance's clock is off by an offset spread evenly over −spread..+spread (the sandbox keeps the true clock).</param>
    /// <param name="clockSkew"><c>Fragment:RateLimit:ClockSkew</c>; null: twice the spread when there is one (the widest difference between two clocks), else the default.</param>
    public static async Task<int> RunAsync(string storage, TimeSpan duration, int instances, int batch = 1, TimeSpan offsetSpread = default, TimeSpan? clockSkew = null)
    {
        await using var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { FragmentRequestsPerMinute = SandboxLimitPerMinute });
        sandbox.Secrets.Set(new TokensOptions().RefreshTokenSecretName, sandbox.CurrentRefreshToken);
        sandbox.Secrets.Set(new FragmentOptions().ApiTokenSecretName, new SandboxOptions().FragmentApiToken);

        var run = Guid.NewGuid().ToString("N")[..12];
        var settings = sandbox.AppSettings();
        settings["Storage:ConnectionString"] = storage;
        settings["Tasks:VersionTable"] = $"benchv{run}";
        settings["Tasks:RequestLogTable"] = $"benchr{run}";
        settings["Fragment:RateLimit:Table"] = $"benchl{run}";
        settings["Tasks:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture);
        clockSkew ??= offsetSpread > TimeSpan.Zero ? 2 * offsetSpread : null;
        if (clockSkew is { } skew)
        {
            settings["Fragment:RateLimit:ClockSkew"] = skew.ToString("c", CultureInfo.InvariantCulture);
        }

        var budgetCalls = new BudgetStorageCalls(settings["Fragment:RateLimit:Table"]!);
        var offsets = OffsetClock.Spread(instances, offsetSpread);
        var hosts = new List<IHost>();
        try
        {
            foreach (var offset in offsets)
            {
                hosts.Add(await StartHostAsync(settings, services: services =>
                {
                    services.AddSingleton<TimeProvider>(new OffsetClock(TimeProvider.System, offset));
                    services.ConfigureAll<TableClientOptions>(o => o.AddPolicy(budgetCalls, HttpPipelinePosition.PerRetry));
                }));
            }

            var budget = hosts[0].Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;

            var counts = new SettlementCounts();
            var next = 0;
            var failures = 0;
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();

            // After the first minute (start-up left out: sixteen instances racing for the first slots at once), the
            // budget's storage transactions and the requests so far, for the steady per-request figure.
            (int Calls, int Conflicts, int Requests)? afterFirstMinute = null;
            using var snapshot = new Timer(
                _ => afterFirstMinute = (budgetCalls.Total, budgetCalls.Conflicts, sandbox.Calls.Count("tasks")), null, Window, Timeout.InfiniteTimeSpan);
            async Task BatchLoopAsync(ITaskBatchHandler handler)
            {
                while (clock.Elapsed < duration)
                {
                    var messages = new List<(IncomingTask, ITaskSettlement)>();
                    for (var i = 0; i < batch; i++)
                    {
                        var id = Interlocked.Increment(ref next);
                        var body = $$"""{"external_id":"bench-{{run}}-{{id}}","status":"TODO","fields":{"title":"Benchmark task {{id}}"},"version":1}""";
                        messages.Add((new IncomingTask(Guid.NewGuid().ToString("N"), BinaryData.FromString(body), 1, new Dictionary<string, object>(), DateTimeOffset.UtcNow), counts.NewSettlement()));
                    }

                    try
                    {
                        await handler.HandleAsync(messages, CancellationToken.None);
                        foreach (var (_, settlement) in messages)
                        {
                            counts.CheckSettled(settlement);
                        }
                    }
                    catch (Exception e)
                    {
                        Interlocked.Increment(ref failures);
                        Console.Error.WriteLine($"HandleAsync (batch) threw: {e.GetType().Name}: {e.Message}");
                    }
                }
            }

            async Task LoopAsync(ITaskHandler handler)
            {
                while (clock.Elapsed < duration)
                {
                    var id = Interlocked.Increment(ref next);
                    var body = $$"""{"external_id":"bench-{{run}}-{{id}}","status":"TODO","fields":{"title":"Benchmark task {{id}}"},"version":1}""";
                    var message = new IncomingTask(Guid.NewGuid().ToString("N"), BinaryData.FromString(body), 1, new Dictionary<string, object>(), DateTimeOffset.UtcNow);
                    var settlement = counts.NewSettlement();
                    try
                    {
                        await handler.HandleAsync(message, settlement, CancellationToken.None);
                        counts.CheckSettled(settlement);
                    }
                    catch (Exception e)
                    {
                        Interlocked.Increment(ref failures);
                        Console.Error.WriteLine($"HandleAsync threw: {e.GetType().Name}: {e.Message}");
                    }
                }
            }

            // Each instance handles one message at a time; a new one starts only before the duration is up, so the run
            // ends with the last in-flight message (a few seconds at most: the limiter's MaxWait bounds the wait for a slot).
            await Task.WhenAll(hosts.Select(h => Task.Run(() => batch > 1
                ? BatchLoopAsync(h.Services.GetRequiredService<ITaskBatchHandler>())
                : LoopAsync(h.Services.GetRequiredService<ITaskHandler>()))));
            clock.Stop();

            Console.Write(Report(sandbox, counts, started, clock.Elapsed, duration, instances, next, failures, batch, budgetCalls, afterFirstMinute, offsetSpread, budget));
            return sandbox.FragmentRateLimited == 0 && failures == 0 && counts.Unsettled == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    private static string Report(PartnerSandbox sandbox, SettlementCounts counts, DateTimeOffset started, TimeSpan elapsed, TimeSpan duration, int instances, int handled, int failures, int batch, BudgetStorageCalls budgetCalls, (int Calls, int Conflicts, int Requests)? afterFirstMinute, TimeSpan offsetSpread, RateLimitOptions budget)
    {
        var puts = sandbox.Tasks.History.Select(h => h.At).Order().ToList();
        var refused = sandbox.FragmentRateLimited;
        var perMinute = puts.Count / elapsed.TotalMinutes;

        // The most PUTs the sandbox accepted in any 60-s window [t, t + 60 s): the quantity its limit is defined on.
        var maxInWindow = 0;
        for (int i = 0, j = 0; j < puts.Count; j++)
        {
            while (puts[j] - puts[i] >= Window)
            {
                i++;
            }

            maxInWindow = Math.Max(maxInWindow, j - i + 1);
        }

        // The closest the partner's limit came: the shortest span from a PUT to the one SandboxLimitPerMinute later (≥ 60 s
        // means no sliding minute held a 61st; the excess is the margin the jitter allowance and clock skew left unused).
        var closest = puts.Count > SandboxLimitPerMinute
            ? Enumerable.Range(SandboxLimitPerMinute, puts.Count - SandboxLimitPerMinute).Min(i => puts[i] - puts[i - SandboxLimitPerMinute])
            : (TimeSpan?)null;

        // Steady state: from the first accepted PUT to the last, so host warm-up (token refresh, table creation) is left out.
        var steady = puts.Count > 1 ? (puts.Count - 1) / (puts[^1] - puts[0]).TotalMinutes : 0;
        var byMinute = puts.GroupBy(t => (int)((t - started) / Window)).OrderBy(g => g.Key).Select(g => $"{g.Key + 1}: {g.Count()}");

        string reasons;
        lock (counts.DeadLetterReasons)
        {
            reasons = counts.DeadLetterReasons.Count == 0 ? "" : " (" + string.Join(", ", counts.DeadLetterReasons.Select(r => $"{r.Key} {r.Value}")) + ")";
        }

        var text = new StringBuilder();
        void Row(string name, FormattableString value) => text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value.ToString(CultureInfo.InvariantCulture)} |");
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---:|");
        var requests = sandbox.Calls.Count("tasks");
        var requestsPerMinute = requests / elapsed.TotalMinutes;
        Row("instances (app hosts, one handler call at a time each)", $"{instances}");
        Row("instance clock offsets (spread evenly; the sandbox keeps the true clock)", $"{(offsetSpread == TimeSpan.Zero ? "none" : $"−{offsetSpread.TotalSeconds:0.###} s … +{offsetSpread.TotalSeconds:0.###} s")}");
        Row("`Fragment:RateLimit` JitterAllowance / ClockSkew (refill per minute)", $"{budget.JitterAllowance.TotalSeconds:0.###} s / {budget.ClockSkew.TotalSeconds:0.###} s ({(budget.RequestsPerMinute - budget.Burst + 1) * 60 / (60 + budget.JitterAllowance.TotalSeconds + budget.ClockSkew.TotalSeconds):F2})");
        Row("tasks per request (`Tasks:BatchSize`; 1 = PUT /tasks/{uid}, more = PUT /tasks/batch)", $"{batch}");
        Row("requests seen by the sandbox / per minute", $"{requests} / **{requestsPerMinute:F2}**");
        Row("duration asked / run s (until the last in-flight message settled)", $"{duration.TotalSeconds:F0} / {elapsed.TotalSeconds:F1}");
        Row("messages handled", $"{handled}");
        Row("PUTs accepted by the sandbox (`Tasks.PutCount`)", $"{puts.Count}");
        Row("429s answered by the sandbox (`FragmentRateLimited`)", $"**{refused}**");
        Row("requests/minute (PUTs / run minutes)", $"**{perMinute:F2}**");
        Row("requests/minute, first to last PUT", $"{steady:F2}");
        Row("most PUTs in any sliding 60-s window", $"{maxInWindow}");
        Row($"shortest span from a PUT to the {SandboxLimitPerMinute}th after it (≥ 60 s: no 61st in a minute)", $"{(closest is { } c ? $"{c.TotalSeconds:F3} s" : "n/a")}");
        Row("budget storage transactions (reads + writes; 412 conflicts among the writes)", $"{budgetCalls.Total} ({budgetCalls.Reads} + {budgetCalls.Writes}; {budgetCalls.Conflicts})");
        Row("budget storage transactions per granted request (per request the sandbox saw)", $"**{(requests == 0 ? 0 : (double)budgetCalls.Total / requests):F2}**");
        if (afterFirstMinute is { } first && requests > first.Requests)
        {
            Row("the same after the first minute (transactions / requests; 412s)", $"{(double)(budgetCalls.Total - first.Calls) / (requests - first.Requests):F2} ({budgetCalls.Total - first.Calls} / {requests - first.Requests}; {budgetCalls.Conflicts - first.Conflicts})");
        }

        Row("PUTs per minute of the run", $"{string.Join(", ", byMinute)}");
        Row("settlements Complete / Reschedule / DeadLetter", $"{counts.Complete} / {counts.Reschedule} / {counts.DeadLetter}{reasons}");
        Row("handler calls that threw / left the message unsettled", $"{failures} / {counts.Unsettled}");
        text.AppendLine();
        text.AppendLine(batch == 1
            ? FormattableString.Invariant($"Targets: 0 × 429 **{(refused == 0 ? "met" : "not met")}** ({refused}); ≥ 59.4 requests/minute **{(perMinute >= 59.4 ? "met" : "not met")}** ({perMinute.ToString("F2", CultureInfo.InvariantCulture)}).")
            : FormattableString.Invariant($"Targets: 0 × 429 **{(refused == 0 ? "met" : "not met")}** ({refused}); tasks/minute ≥ 20 × 59 = 1180 **{(perMinute >= 1180 ? "met" : "not met")}** ({perMinute.ToString("F2", CultureInfo.InvariantCulture)} tasks/min, {(perMinute / 59).ToString("F1", CultureInfo.InvariantCulture)}× 59)."));
        return text.ToString();
    }

    /// <summary>An app instance as the harnesses run it: <c>AddIntegration()</c>, then <paramref name="services"/>; logs on stderr.</summary>
    internal static async Task<IHost> StartHostAsync(Dictionary<string, string?> settings, LogLevel minimum = LogLevel.Warning, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(minimum).AddFilter("Azure.Core", LogLevel.Error).AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries the results only
        builder.AddIntegration();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
