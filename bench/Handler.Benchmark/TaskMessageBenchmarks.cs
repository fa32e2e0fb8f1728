using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Integration.Tasks.Messages;

namespace Integration.Benchmark.Handler;

/// <summary>
/// The handler's CPU per task message, network excluded: parse + validate (<see cref="TaskMessageParser"/>) and the
/// outcome's body for Fragment (<see cref="TaskMessage.ToFragmentBody"/>), beside the floor of reading the same bytes
/// as a <see cref="JsonDocument"/> (the baseline) and the cost of rejecting an invalid message.
/// </summary>
[MemoryDiagnoser]
public class TaskMessageBenchmarks
{
    private static readonly byte[] Valid = Encoding.UTF8.GetBytes("""
        {"external_id":"ticket#ID#123","status":"STARTED","due_at":"2026-12-01T09:00:00+01:00","assignee_email":"ops@example.com",
         "fields":{"title":"Fix the pump at site S1","url":"https://tickets.example.com/t/123","site":"S1","priority":2,"tags":["pump","urgent"]},
         "version":7}
        """);

    private static readonly byte[] Invalid = Encoding.UTF8.GetBytes("""
        {"external_id":"ticket#ID#123","status":"IN_PROGRESS","due_at":"2026-12-01","assignee_email":"ops","version":-1,"title":"x"}
        """);

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse (floor)")]
    public int ReadAsJsonDocument()
    {
        using var document = JsonDocument.Parse(Valid);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "parse + validate")]
    public TaskMessageParse ParseAndValidate() => TaskMessageParser.Parse(Valid, TaskMessageLimits.Default);

    [Benchmark(Description = "parse + validate + Fragment body")]
    public string ParseValidateAndBuildBody() =>
        ((TaskMessageParse.Valid)TaskMessageParser.Parse(Valid, TaskMessageLimits.Default)).Message.ToFragmentBody();

    [Benchmark(Description = "invalid: every problem in one reason")]
    public TaskMessageParse RejectInvalid() => TaskMessageParser.Parse(Invalid, TaskMessageLimits.Default);
}
