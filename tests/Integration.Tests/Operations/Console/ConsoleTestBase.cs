using System.Text.Json;
using Azure.Storage.Queues;
using Integration.Sandbox;
using Integration.Local.Tasks;
using Integration.Tests.Cli;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Operations.Console;

/// <summary>
/// The ops console as an operator runs it locally: <c>integration console --settings FILE</c> (the real executable) on
/// the same Azurite and sandbox as an app host in the test (which makes the failures, on a fake clock), opened in
/// chromium. Each test has its own queues, tables and containers.
/// </summary>
[Collection(AzuriteCollection.Name)]
public abstract class ConsoleTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _queue = $"con-{Guid.NewGuid():N}"[..20];
    private readonly string _settingsFile = Path.Combine(Path.GetTempPath(), $"console-{Guid.NewGuid():N}.json");
    private RunningCli? _console;
    private ConsoleBrowser? _browser;

    protected AzuriteFixture Azurite { get; } = azurite;
    protected PartnerSandbox Sandbox { get; private set; } = null!;
    protected IntegrationHost App { get; private set; } = null!;
    protected LocalTaskQueue Queue => App.Services.GetRequiredService<LocalTaskQueue>();
    internal ConsoleBrowser Browser => _browser ?? throw new InvalidOperationException("Open the console first.");
    protected Microsoft.Playwright.IPage Page => Browser.Page;
    protected Dictionary<string, string?> Settings { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await PartnerSandbox.StartAsync(new SandboxOptions());
        Sandbox.Secrets.Set("dragonfruit-refresh-token", Sandbox.CurrentRefreshToken);
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        Settings = IntegrationHost.Settings(Sandbox, Azurite, $"locks-{Guid.NewGuid():N}"[..20]);
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Tasks:VersionTable"] = $"v{Guid.NewGuid():N}",
            ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
            ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
            ["Operations:AuditTable"] = $"a{Guid.NewGuid():N}",
            ["Operations:ArchiveContainer"] = $"archive-{Guid.NewGuid():N}"[..30],
            ["LocalTaskQueue:QueueName"] = _queue,
            ["LocalTaskQueue:DeadLetterQueueName"] = $"{_queue}-dlq",
            ["Imports:Container"] = $"imports-{Guid.NewGuid():N}"[..20],
            ["Imports:ResultsContainer"] = $"results-{Guid.NewGuid():N}"[..20],
            ["Imports:LedgerTable"] = $"ledger{Guid.NewGuid():N}"[..20],
        })
        {
            Settings[key] = value;
        }

        await File.WriteAllTextAsync(_settingsFile, JsonSerializer.Serialize(Settings.Where(s => s.Value is not null).ToDictionary()));
        // The app's clock starts behind the real one: the tests move it on (retry delays, timeouts) while the console
        // process counts and draws up to the real now, so everything the app logs must stay in the console's past.
        App = await IntegrationHost.StartAsync(Settings, new TestClock(DateTimeOffset.UtcNow.AddMinutes(-15)), services =>
        {
            services.AddLocalTaskQueueConsumer();
            services.AddLocalDeadLetterQueue();
        });
        await Queue.CreateIfNotExistsAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_console is not null)
        {
            await _console.TerminateAsync();
            await _console.DisposeAsync();
        }

        await App.DisposeAsync();
        var queues = new QueueServiceClient(Azurite.ConnectionString);
        await queues.DeleteQueueAsync(_queue);
        await queues.DeleteQueueAsync($"{_queue}-dlq");
        await Sandbox.DisposeAsync();
        File.Delete(_settingsFile);
    }

    /// <summary>Starts <c>integration console --settings FILE</c>, reads the URL it prints and opens it in chromium on <paramref name="view"/>.</summary>
    protected async Task OpenConsoleAsync(string view)
    {
        _console = RunningCli.Start(null, "console", "--settings", _settingsFile);
        var line = _console.WaitForLine("Ops console: ");
        var url = new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim());
        _browser = await ConsoleBrowser.OpenAsync(new Uri(url, $"#{view}"));
    }

    /// <summary>Lets the app's task consumer work (moving the fake clock on) until <paramref name="done"/>.</summary>
    protected async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await done())
            {
                return;
            }

            App.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        Assert.Fail($"Not in time: {what}");
    }

    /// <summary>A valid task message of a new task.</summary>
    protected static string TaskBody(string id) => $$"""{"external_id":"ticket#{{id}}","fields":{"title":"Fix the pump"},"version":1}""";
}
