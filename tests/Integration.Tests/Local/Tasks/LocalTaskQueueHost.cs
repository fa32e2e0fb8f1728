using System.Diagnostics;
using Azure.Storage.Queues;
using Integration.Tasks;
using Integration.Local.Tasks;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integration.Tests.Local.Tasks;

/// <summary>
/// Queues of this test's own in Azurite, a queue object for the test's side (sending, direct receives) and,
/// started on demand, a host running <see cref="LocalTaskQueueConsumer"/> with a test handler and captured logs.
/// </summary>
public sealed class LocalTaskQueueHost : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    public LocalTaskQueueHost(AzuriteFixture azurite, TimeProvider time, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        Time = time;
        Settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["LocalTaskQueue:QueueName"] = $"tasks-{Guid.NewGuid():N}"[..24],
            ["LocalTaskQueue:DeadLetterQueueName"] = $"dlq-{Guid.NewGuid():N}"[..24],
            ["LocalTaskQueue:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }

        var options = new LocalTaskQueueOptions
        {
            QueueName = Settings["LocalTaskQueue:QueueName"]!,
            DeadLetterQueueName = Settings["LocalTaskQueue:DeadLetterQueueName"]!,
        };
        var service = new QueueServiceClient(azurite.ConnectionString);
        Queue = new LocalTaskQueue(service, Options.Create(options), time, NullLogger<LocalTaskQueue>.Instance);
        Raw = service.GetQueueClient(options.QueueName);
        RawDeadLetters = service.GetQueueClient(options.DeadLetterQueueName);
    }

    public Dictionary<string, string?> Settings { get; }
    public TimeProvider Time { get; }
    public CapturedLogs Logs { get; } = new();

    /// <summary>The test's own view of the same queues.</summary>
    public LocalTaskQueue Queue { get; }

    public QueueClient Raw { get; }
    public QueueClient RawDeadLetters { get; }

    /// <summary>Messages in the task queue, invisible ones included.</summary>
    public async Task<int> CountAsync() => (await Raw.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>The dead-letter queue once it holds something and the task queue is empty (the move is a send, then a delete).</summary>
    public async Task<IReadOnlyList<DeadLetteredTask>> WaitForDeadLettersAsync()
    {
        IReadOnlyList<DeadLetteredTask> dead = [];
        await EventuallyAsync(async () => (dead = await Queue.PeekDeadLettersAsync(32, CancellationToken.None)).Count > 0 && await CountAsync() == 0);
        return dead;
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms for at most 10 s.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return true;
    }

    /// <summary>Starts a host as the local run composes the consumer: <c>AddLocalTaskQueueConsumer()</c> and <paramref name="handler"/>.</summary>
    public async Task<IHost> StartConsumerAsync(ITaskHandler handler)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(Logs);
        builder.Services.AddSingleton(Time);
        builder.Services.AddSingleton(handler);
        builder.Services.AddLocalTaskQueueConsumer();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await Raw.DeleteIfExistsAsync();
        await RawDeadLetters.DeleteIfExistsAsync();
    }
}
