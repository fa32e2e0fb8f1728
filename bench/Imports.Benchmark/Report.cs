using System.Globalization;
using System.Text;

namespace Integration.Benchmark;

/// <summary>
/// Markdown tables from the runs bench/run-imports.sh collected, one tab-separated line each: run, the RESULT fields (mode,
/// bytes, seconds, validation seconds, upload seconds, bytes allocated, GCs), then from /usr/bin/time -v wall seconds, CPU seconds
/// (user + system) and max RSS in KiB. MB = 10^6 bytes; throughput is bytes over the in-process time of the transfer.
/// </summary>
internal static class Report
{
    private const double MB = 1e6;

    /// <summary>
    /// The baselines beside the import: raw reads the blob by ranges, raw-streaming with one streamed GET (as the handler
    /// does: the target's reference), both to the sink; raw-multipart sends the raw-streaming copy to the import endpoint.
    /// </summary>
    private static readonly string[] Baselines = ["raw", "raw-streaming", "raw-multipart"];

    public static int Print(string runsPath)
    {
        var runs = File.ReadAllLines(runsPath).Where(l => l.Length > 0).Select(Run.Parse).ToList();
        var text = new StringBuilder();
        text.AppendLine("| run | mode | MB/s | transfer s | validation pass s | upload request s | wall s | CPU s | allocated MB | GCs gen0/1/2 | peak RSS MB |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            text.AppendLine(Invariant($"| {r.Label} | {r.Mode} | {r.Throughput:F1} | {r.Seconds:F2} | {Optional(r.Validation)} | {Optional(r.Upload)} | {r.Wall:F2} | {r.Cpu:F2} | {r.Allocated / MB:F0} | {r.Collections} | {r.RssKib * 1024 / MB:F1} |"));
        }

        var import = runs.Where(r => r.Mode == "import").ToList();
        var baselines = Baselines.Select(mode => runs.Where(r => r.Mode == mode && r.Label != "diag").ToList()).Where(b => b.Count > 0).ToList();
        if (import.Count > 0 && baselines.Count > 0)
        {
            var peak = import.Max(r => r.RssKib) * 1024 / MB;
            text.AppendLine();
            text.AppendLine("| mode | runs | MB/s (median) | CPU s (median) | peak RSS MB (max) | import/this throughput |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var group in baselines.Append(import))
            {
                var ratio = group == import ? "" : Invariant($"**{Median(import, r => r.Throughput) / Median(group, r => r.Throughput):F2}×**");
                text.AppendLine(Invariant($"| {group[0].Mode} | {group.Count} | {Median(group, r => r.Throughput):F1} | {Median(group, r => r.Cpu):F2} | {group.Max(r => r.RssKib) * 1024 / MB:F1} | {ratio} |"));
            }

            // The target is checked against the copy that reads the blob the way the handler does (one streamed GET).
            var reference = baselines.FirstOrDefault(b => b[0].Mode == "raw-streaming") ?? baselines[0];
            var headline = Median(import, r => r.Throughput) / Median(reference, r => r.Throughput);
            text.AppendLine();
            if (runs.Where(r => r.Mode == "import-split").ToList() is { Count: > 0 } split)
            {
                text.AppendLine();
                text.AppendLine(Invariant($"The first file above the partner's limit (first upload refused, then parts of 128 MiB): {Median(split, r => r.Throughput):F1} MB/s, **{Median(split, r => r.Throughput) / Median(import, r => r.Throughput):F2}×** the unsplit import (target ≥ 0.6×), peak RSS {split.Max(r => r.RssKib) * 1024 / MB:F1} MB."));
            }

            if (runs.Where(r => r.Mode == "import-known").ToList() is { Count: > 0 } known)
            {
                text.AppendLine(Invariant($"A later file, the limit known (parts of 128 MiB planned up front, no 413): {Median(known, r => r.Throughput):F1} MB/s, **{Median(known, r => r.Throughput) / Median(import, r => r.Throughput):F2}×** the unsplit import (target ≥ 0.8×), peak RSS {known.Max(r => r.RssKib) * 1024 / MB:F1} MB."));
            }

            text.AppendLine(Invariant($"Targets: unsplit throughput ≥ 0.95× {reference[0].Mode} **{(headline >= 0.95 ? "met" : "not met")}** ({headline:F2}×); peak RSS ≤ 100 MB **{(peak <= 100 ? "met" : "not met")}** ({peak:F1} MB)."));
        }

        Console.Write(text.ToString());
        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Optional(double? seconds) => seconds is { } s ? s.ToString("F2", CultureInfo.InvariantCulture) : "";

    private static double Median(IEnumerable<Run> runs, Func<Run, double> value)
    {
        var sorted = runs.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Run(string Label, string Mode, long Bytes, double Seconds, double? Validation, double? Upload, long Allocated, string Collections, double Wall, double Cpu, long RssKib)
    {
        public double Throughput => Bytes / MB / Seconds;

        public static Run Parse(string line)
        {
            var f = line.Split('\t');
            static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);
            static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
            static double? O(string s) => s.Length == 0 ? null : D(s);
            return new Run(f[0], f[1], L(f[2]), D(f[3]), O(f[4]), O(f[5]), L(f[6]), f[7], D(f[8]), D(f[9]), L(f[10]));
        }
    }
}
