using System.Globalization;
using Azure.Storage.Queues;
using Integration.DeadLetters;
using Integration.Operations;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Tasks.Local;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tests.DeadLetters;

/// <summary>
/// A sandbox and the app composed against it (<c>AddIntegration</c>, then <c>AddLocalDeadLetterQueue</c> and
/// <c>AddDeadLetterOperations</c>) on a fake clock, with queues and tables of the test's own; helpers dead-letter task
/// messages as the handler does and run redrives while moving the fake clock on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public abstract class DeadLetterTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    protected const string TasksRoute = "tasks";
    protected const string Actor = "ops@example.com";

    /// <summary>FastAPI's shape for a missing field, as Fragment answers a 422.</summary>
    public const string MissingTitle = """{"detail":[{"loc":["body","fields","title"],"msg":"field required","type":"value_error.missing"}]}""";

    private readonly string _queue = $"dl-{Guid.NewGuid():N}"[..20];
    private readonly Dictionary<TimeSpan, int> _waitsSeen = [];
    private int _tasks;

    protected AzuriteFixture Azurite { get; } = azurite;
    protected PartnerSandbox Sandbox { get; private set; } = null!;
    protected IntegrationHost App { get; private set; } = null!;
    protected TestClock Clock => App.Clock;
    protected LocalTaskQueue Queue => App.Services.GetRequiredService<LocalTaskQueue>();
    protected IDeadLetterQueue DeadLetterQueue => App.Services.GetRequiredService<IDeadLetterQueue>();
    protected DeadLetterInspector Inspector => App.Services.GetRequiredService<DeadLetterInspector>();
    protected DeadLetterRedrive Redrive => App.Services.GetRequiredService<DeadLetterRedrive>();
    protected OperationsOptions Operations => App.Services.GetRequiredService<IOptions<OperationsOptions>>().Value;

    /// <summary>The fake clock when the app started.</summary>
    protected DateTimeOffset Start { get; private set; }

    public virtual async Task InitializeAsync()
    {
        Sandbox = await PartnerSandbox.StartAsync(new SandboxOptions());
        Sandbox.Secrets.Set("dragonfruit-refresh-token", Sandbox.CurrentRefreshToken);
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        var settings = IntegrationHost.Settings(Sandbox, Azurite, $"locks-{Guid.NewGuid():N}"[..20]);
        settings["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}";
        settings["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}";
        settings["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}";
        settings["Operations:AuditTable"] = $"a{Guid.NewGuid():N}";
        settings["Operations:ArchiveContainer"] = $"archive-{Guid.NewGuid():N}"[..30];
        settings["LocalTaskQueue:QueueName"] = _queue;
        settings["LocalTaskQueue:DeadLetterQueueName"] = $"{_queue}-dlq";
        settings["LocalTaskQueue:PollInterval"] = "00:00:01";
        ConfigureSettings(settings);
        App = await IntegrationHost.StartAsync(settings, services: services =>
        {
            services.AddLocalDeadLetterQueue();
            services.AddDeadLetterOperations();
            ConfigureServices(services);
        });
        Start = Clock.GetUtcNow();
        await Queue.CreateIfNotExistsAsync(CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        var queues = new QueueServiceClient(Azurite.ConnectionString);
        await queues.DeleteQueueAsync(_queue);
        await queues.DeleteQueueAsync($"{_queue}-dlq");
        await Sandbox.DisposeAsync();
    }

    /// <summary>Settings of the test's own, over the base's.</summary>
    protected virtual void ConfigureSettings(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Services added after the app's own and the dead-letter ones.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>A valid task message body, a new task each call.</summary>
    protected string NewTaskBody() =>
        $$"""{"external_id":"ticket#ID#{{Interlocked.Increment(ref _tasks)}}","fields":{"title":"Fix the pump"},"version":1}""";

    /// <summary>
    /// Sends a task message, receives it and dead-letters it as the handler does, at the fake clock's now.
    /// The task queue must be otherwise empty.
    /// </summary>
    protected async Task<string> DeadLetterAsync(string reason, IReadOnlyDictionary<string, object>? properties = null, string? body = null, string description = "")
    {
        var messageId = await Queue.SendAsync(BinaryData.FromString(body ?? NewTaskBody()));
        var delivery = Assert.Single(await Queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(messageId, delivery.Message.MessageId);
        await new LocalTaskSettlement(Queue, delivery).DeadLetterAsync(reason, description, properties ?? new Dictionary<string, object>(), CancellationToken.None);
        return messageId;
    }

    /// <summary>The properties the handler writes on a dead-letter after Fragment answered <paramref name="status"/>.</summary>
    protected Dictionary<string, object> Failure(int status, string errorBody = "", int attempt = 1, string taskUid = "c6951f29-e70d-04c9-3733-50f90b248db2")
    {
        var now = Clock.GetUtcNow();
        return new Dictionary<string, object>
        {
            [P.Attempt] = attempt,
            [P.ClientErrorCount] = 0,
            [P.FirstFailureAt] = (now - TimeSpan.FromMinutes(attempt - 1)).ToString("O", CultureInfo.InvariantCulture),
            [P.LastFailureAt] = now.ToString("O", CultureInfo.InvariantCulture),
            [P.PartnerErrorBody] = errorBody,
            [P.HttpStatus] = status,
            [P.PartnerRequestId] = $"req-{Guid.NewGuid():N}",
            [P.TaskUid] = taskUid,
        };
    }

    /// <summary>Every dead-letter, oldest first.</summary>
    protected async Task<List<DeadLetteredMessage>> DeadLettersAsync() =>
        await Inspector.ListAsync(DeadLetterFilter.All, CancellationToken.None).ToListAsync();

    /// <summary>The task queue's visible messages, peeked (left in place).</summary>
    protected async Task<List<IncomingTask>> TaskQueueAsync()
    {
        var client = new QueueServiceClient(Azurite.ConnectionString).GetQueueClient(_queue);
        var peeked = (await client.PeekMessagesAsync(32)).Value;
        return
        [
            .. peeked
                .Select(m => LocalTaskEnvelope.Parse(m.Body))
                .Select(e => new IncomingTask(e.MessageId, e.Body, 0, e.Properties, e.EnqueuedAt)),
        ];
    }

    /// <summary>Audit rows of redrives since the app started.</summary>
    protected async Task<List<OpsAuditEntry>> RedriveAuditAsync() =>
        await App.Services.GetRequiredService<OpsAudit>()
            .SinceAsync(Start, CancellationToken.None)
            .Where(e => e.Operation == DeadLetterRedrive.AuditOperation)
            .ToListAsync();

    /// <summary>Runs <paramref name="redrive"/> (the registered one by default), moving the fake clock on each time it waits for its next send.</summary>
    protected async Task<RedriveResult> RedriveAsync(RedriveRequest request, DeadLetterRedrive? redrive = null, IProgress<RedriveProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var interval = TimeSpan.FromSeconds(1 / (request.MessagesPerSecond ?? Operations.MessagesPerSecond));
        var run = (redrive ?? Redrive).RunAsync(request, progress, CancellationToken.None);
        while (!run.IsCompleted)
        {
            var count = _waitsSeen[interval] = _waitsSeen.GetValueOrDefault(interval) + 1;
            var waiting = Clock.WaitForTimerAsync(interval, count);
            if (await Task.WhenAny(run, waiting) == run)
            {
                _waitsSeen[interval]--;
                break;
            }

            await waiting;
            Clock.Advance(interval);
        }

        return await run;
    }
}
