using System.Text;
using BenchmarkDotNet.Attributes;
using Integration.Imports;
using Integration.Imports.Csv;

namespace Integration.Benchmark.Handler;

/// <summary>
/// The import's CPU per MiB of CSV, network excluded: the checks fed chunk by chunk as during an upload
/// (<see cref="CsvInspector.CsvIncrementalInspection"/>), beside copying the same bytes (the baseline: what the upload
/// does to them anyway), and reading a partner answer with row errors.
/// </summary>
[MemoryDiagnoser]
public class CsvCheckBenchmarks
{
    private const int Chunk = 1024 * 1024;
    private byte[] _csv = [];
    private byte[] _target = [];

    private const string Answer = """
        {"success":true,"data":{"imported":{"sites":97,"site_contacts":0},"errors":{"sites":[{"row":3,"message":"Row 3: invalid value"},{"row":8,"message":"Row 8: invalid value"},{"row":41,"message":"Row 41: invalid value"}]}}}
        """;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("site_id,name,address\n");
        for (var n = 1; text.Length < 8 * Chunk; n++)
        {
            text.Append(n % 50 == 0 ? $"S{n},\"Sité {n}\nline\",\"{n} Main St, Springfield\"\n" : $"S{n},Sité {n},\"{n} Main St, Springfield\"\n");
        }

        _csv = Encoding.UTF8.GetBytes(text.ToString());
        _target = new byte[_csv.Length];
    }

    [Benchmark(Baseline = true, Description = "copy 8 MiB (floor)")]
    public int Copy()
    {
        for (var offset = 0; offset < _csv.Length; offset += Chunk)
        {
            var length = Math.Min(Chunk, _csv.Length - offset);
            _csv.AsSpan(offset, length).CopyTo(_target.AsSpan(offset, length));
        }

        return _target[^1];
    }

    [Benchmark(Description = "check 8 MiB while uploading")]
    public CsvInspection Check()
    {
        var inspection = new CsvInspector.CsvIncrementalInspection(new CsvLimits { MaxBytes = long.MaxValue });
        for (var offset = 0; offset < _csv.Length; offset += Chunk)
        {
            inspection.Feed(_csv.AsSpan(offset, Math.Min(Chunk, _csv.Length - offset)));
        }

        return inspection.Complete();
    }

    [Benchmark(Description = "read a 200 answer with 3 row errors")]
    public ImportAnswer ReadAnswer() => ImportAnswer.Parse(Answer, "sites");
}
