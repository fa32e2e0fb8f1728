using System.Text.RegularExpressions;
using Integration.Sandbox;
using Integration.Local.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tasks;

/// <summary>What an operator reads in log lines of the task path: scopes that show their values, no doubled words.</summary>
public sealed partial class LogWordingTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private readonly string _queue = $"words-{Guid.NewGuid():N}"[..20];

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
        ["LocalTaskQueue:QueueName"] = _queue,
        ["LocalTaskQueue:DeadLetterQueueName"] = $"{_queue}-dlq",
    };

    [Fact]
    public async Task Scopes_print_their_values_and_no_log_line_doubles_a_word()
    {
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        await using var run = await StartAppAsync(AppSettings, services: s => s.AddLocalTaskQueueConsumer());
        var queue = run.Services.GetRequiredService<LocalTaskQueue>();
        await queue.CreateIfNotExistsAsync(CancellationToken.None);

        await queue.SendAsync(BinaryData.FromString("""{"external_id":"w1","fields":{"title":"t"},"version":2}"""));
        await UntilAsync(run, () => Sandbox.Tasks.PutCount == 1);
        Sandbox.Faults.Enqueue("tasks", Fault.WithStatus(422, body: """{"detail":"no"}"""));
        await queue.SendAsync(BinaryData.FromString("""{"external_id":"w1","fields":{"title":"t"},"version":1}"""));      // stale
        await queue.SendAsync(BinaryData.FromString("""{"external_id":"w2","fields":{"title":"t"},"version":1}"""));
        await queue.SendAsync(BinaryData.FromString("""{"external_id":"w3","fields":{"title":"t"},"updated_at":"2026-11-27T06:00:00Z"}"""));
        await UntilAsync(run, () => Sandbox.Calls.Count("tasks") == 3 && run.Logs.Lines.Any(l => l.Message.StartsWith("Stale", StringComparison.Ordinal))
            && run.Logs.Lines.Count(l => l.Message.StartsWith("PUT task", StringComparison.Ordinal)) == 3);

        var taskLines = run.Logs.Lines.Where(l => l.Category.StartsWith("Integration.Tasks", StringComparison.Ordinal)).ToList();
        Assert.Contains(taskLines, l => l.Message.StartsWith("Stale: task ", StringComparison.Ordinal) && l.Message.Contains(" version 1 is not newer than version 2", StringComparison.Ordinal));
        Assert.Contains(taskLines, l => l.Message.Contains(" updated_at 2026-11-27T06:00:00.0000000+00:00: ", StringComparison.Ordinal));
        var scoped = taskLines.Where(l => l.Category.EndsWith("TaskHandler", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scoped);
        Assert.All(scoped, l => Assert.Contains(l.ScopeTexts, text => text.StartsWith("Task message ", StringComparison.Ordinal) && text.Contains(" delivery 1", StringComparison.Ordinal)));
        Assert.All(run.Logs.Lines.SelectMany(l => l.ScopeTexts), text => Assert.DoesNotContain("System.Collections", text, StringComparison.Ordinal));
        Assert.All(run.Logs.Lines, l => Assert.False(DoubledWord().IsMatch(l.Message), $"doubled word in: {l.Message}"));
    }

    private static async Task UntilAsync(IntegrationHost run, Func<bool> done)
    {
        for (var i = 0; i < 300 && !done(); i++)
        {
            run.Clock.Advance(TimeSpan.FromSeconds(1)); // the consumer polls an empty queue on the fake clock
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        Assert.True(done(), "the messages were not handled in time");
    }

    [GeneratedRegex(@"\b([A-Za-z]{2,})\s+\1\b", RegexOptions.IgnoreCase)]
    private static partial Regex DoubledWord();
}
