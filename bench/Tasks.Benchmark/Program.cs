using System.Globalization;
using Integration.Benchmark.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// bench/run-tasks.sh drives it: tasks-bench run STORAGE [SECONDS] [INSTANCES]; the results table on stdout, logs (Warning+) on stderr.
return args switch
{
    ["run", var storage] => await TasksBench.RunAsync(storage, TimeSpan.FromSeconds(180), 4),
    ["run", var storage, var seconds] => await TasksBench.RunAsync(storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), 4),
    ["run", var storage, var seconds, var instances] => await TasksBench.RunAsync(
        storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), int.Parse(instances, CultureInfo.InvariantCulture)),
    ["run", var storage, var seconds, var instances, var batch] => await TasksBench.RunAsync(
        storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), int.Parse(instances, CultureInfo.InvariantCulture), int.Parse(batch, CultureInfo.InvariantCulture)),
    ["run", var storage, var seconds, var instances, var batch, var offset] => await TasksBench.RunAsync(
        storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), int.Parse(instances, CultureInfo.InvariantCulture), int.Parse(batch, CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(offset, CultureInfo.InvariantCulture))),
    ["run", var storage, var seconds, var instances, var batch, var offset, var skew] => await TasksBench.RunAsync(
        storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), int.Parse(instances, CultureInfo.InvariantCulture), int.Parse(batch, CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(double.Parse(offset, CultureInfo.InvariantCulture)), TimeSpan.FromSeconds(double.Parse(skew, CultureInfo.InvariantCulture))),
    ["chaos", var storage, var messages, var instances] => await TasksChaos.RunAsync(
        storage, int.Parse(messages, CultureInfo.InvariantCulture), int.Parse(instances, CultureInfo.InvariantCulture), TimeSpan.FromHours(1)),
    ["crash", var storage, var cli, var messages, var files, var kills] => await CrashRun.RunAsync(
        storage, cli, int.Parse(messages, CultureInfo.InvariantCulture), int.Parse(files, CultureInfo.InvariantCulture), int.Parse(kills, CultureInfo.InvariantCulture)),
    ["outage", var what, .. var rest] when Enum.TryParse<Outage>(what, ignoreCase: true, out var outage) => await RunOutageAsync(outage, rest),
    _ => Usage(),
};

static async Task<int> RunOutageAsync(Outage outage, string[] rest)
{
    int Arg(int index, int fallback) => rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;
    var report = await OutageRun.RunAsync(
        Directory.GetCurrentDirectory(),
        outage,
        span: TimeSpan.FromSeconds(Arg(0, 20)),
        messages: Arg(1, 1000),
        files: Arg(2, 20),
        instances: Arg(3, 4),
        produceOver: TimeSpan.FromSeconds(Arg(4, 60)),
        limit: TimeSpan.FromMinutes(10),
        logging => logging.SetMinimumLevel(LogLevel.Error).AddFilter("Azure.Core", LogLevel.None).AddSimpleConsole(o => o.SingleLine = true)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
    Console.Write(report.Markdown());
    return report.Ok ? 0 : 1;
}

static int Usage()
{
    Console.Error.WriteLine("""
        tasks-bench run STORAGE [SECONDS=180] [INSTANCES=4] [BATCH=1] [OFFSET_S=0] [CLOCK_SKEW_S=2 × OFFSET_S]
            INSTANCES app hosts (AddIntegration, each its own container) send distinct tasks through ITaskHandler for SECONDS
            against an in-process partner sandbox that answers 429 above 60 requests a minute; STORAGE is an Azurite
            connection string. Each instance's clock is off by an offset spread evenly over -OFFSET_S..+OFFSET_S, and
            Fragment:RateLimit:ClockSkew is CLOCK_SKEW_S (the setting's default when both are 0). Prints a markdown table
            of what the sandbox accepted and refused and the budget's storage transactions.
        tasks-bench chaos STORAGE MESSAGES INSTANCES
            MESSAGES task messages through the local queue stand-in and INSTANCES consumers while the sandbox injects
            30 % 5xx, 10 % 429, 2 % dropped connections and latency; checks nothing is lost, stale or wrongly dead-lettered.
        tasks-bench outage storage|keyvault [SPAN_S=20] [MESSAGES=1000] [FILES=20] [INSTANCES=4] [PRODUCE_S=60]
            (from the repository root) task messages and CSV drops produced over PRODUCE_S seconds, consumed by INSTANCES
            app hosts, while Azurite is stopped and restarted, or Key Vault answers 503, for SPAN_S seconds in the middle;
            checks nothing is lost, sent twice or applied older-after-newer and every message is settled.
        """);
    return 2;
}
