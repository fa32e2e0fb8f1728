using System.Globalization;
using Integration.Benchmark;

// The modes bench/run-imports.sh drives; each measured mode prints one "RESULT" line on stdout and logs (Warning+) on stderr.
return args switch
{
    ["serve", var settingsPath, var storage] => await Servers.ServeAsync(settingsPath, storage),
    ["generate", var settingsPath, var megabytes] => await CsvGenerator.UploadAsync(Bench.LoadSettings(settingsPath), long.Parse(megabytes, CultureInfo.InvariantCulture)),
    [var mode and ("raw" or "raw-streaming" or "raw-multipart"), var settingsPath] => await Measure.RawAsync(Bench.LoadSettings(settingsPath), mode),
    ["import", var settingsPath] => await Measure.ImportAsync(Bench.LoadSettings(settingsPath)),
    ["import-split", var settingsPath] => await Measure.ImportAsync(Bench.LoadSettings(settingsPath), split: true),
    ["import-known", var settingsPath] => await Measure.ImportAsync(Bench.LoadSettings(settingsPath), known: true),
    [var mode and ("read" or "read-streaming" or "validate"), var settingsPath] => await Measure.ReadAsync(Bench.LoadSettings(settingsPath), mode),
    ["small", var settingsPath, var files] => await SmallDrops.RunAsync(Bench.LoadSettings(settingsPath), int.Parse(files, CultureInfo.InvariantCulture), [0]),
    ["small", var settingsPath, var files, var partnerMs] => await SmallDrops.RunAsync(
        Bench.LoadSettings(settingsPath), int.Parse(files, CultureInfo.InvariantCulture), [.. partnerMs.Split(',').Select(ms => int.Parse(ms, CultureInfo.InvariantCulture))]),
    ["report", var runsPath] => Report.Print(runsPath),
    _ => Bench.Usage(),
};
