using System.Globalization;
using Integration.Benchmark.Tasks;

// bench/run-tasks.sh drives it: tasks-bench run STORAGE [SECONDS] [INSTANCES]; the results table on stdout, logs (Warning+) on stderr.
return args switch
{
    ["run", var storage] => await TasksBench.RunAsync(storage, TimeSpan.FromSeconds(180), 4),
    ["run", var storage, var seconds] => await TasksBench.RunAsync(storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), 4),
    ["run", var storage, var seconds, var instances] => await TasksBench.RunAsync(
        storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), int.Parse(instances, CultureInfo.InvariantCulture)),
    ["run", var storage, var seconds, var instances, var batch] => await TasksBench.RunAsync(
        storage, TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), int.Parse(instances, CultureInfo.InvariantCulture), int.Parse(batch, CultureInfo.InvariantCulture)),
    ["chaos", var storage, var messages, var instances] => await TasksChaos.RunAsync(
        storage, int.Parse(messages, CultureInfo.InvariantCulture), int.Parse(instances, CultureInfo.InvariantCulture), TimeSpan.FromHours(1)),
    ["crash", var storage, var cli, var messages, var files, var kills] => await CrashRun.RunAsync(
        storage, cli, int.Parse(messages, CultureInfo.InvariantCulture), int.Parse(files, CultureInfo.InvariantCulture), int.Parse(kills, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        tasks-bench run STORAGE [SECONDS=180] [INSTANCES=4] [BATCH=1]
            INSTANCES app hosts (AddIntegration, each its own container) send distinct tasks through ITaskHandler for SECONDS
            against an in-process partner sandbox that answers 429 above 60 requests a minute; STORAGE is an Azurite
            connection string. Prints a markdown table of what the sandbox accepted and refused.
        tasks-bench chaos STORAGE MESSAGES INSTANCES
            MESSAGES task messages through the local queue stand-in and INSTANCES consumers while the sandbox injects
            30 % 5xx, 10 % 429, 2 % dropped connections and latency; checks nothing is lost, stale or wrongly dead-lettered.
        """);
    return 2;
}
