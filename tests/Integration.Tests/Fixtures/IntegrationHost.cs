using Integration.Sandbox;
using Integration.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Tests.Fixtures;

/// <summary>
/// The app as production composes it (<c>AddIntegration</c>), pointed at a sandbox and Azurite, on a fake clock,
/// with every log record captured.
/// </summary>
public sealed class IntegrationHost : IAsyncDisposable
{
    private readonly IHost _host;

    private IntegrationHost(IHost host, TestClock clock, CapturedLogs logs)
    {
        (_host, Clock, Logs) = (host, clock, logs);
    }

    public TestClock Clock { get; }
    public CapturedLogs Logs { get; }
    public IServiceProvider Services => _host.Services;
    public DragonfruitTokenRefresher Refresher => Services.GetRequiredService<DragonfruitTokenRefresher>();
    public DragonfruitTokenProvider DragonfruitTokens => Services.GetRequiredService<DragonfruitTokenProvider>();
    public FragmentTokenProvider FragmentTokens => Services.GetRequiredService<FragmentTokenProvider>();

    /// <summary>Settings every test host gets; <paramref name="overrides"/> win.</summary>
    public static Dictionary<string, string?> Settings(PartnerSandbox sandbox, AzuriteFixture azurite, string lockContainer)
    {
        var settings = sandbox.AppSettings();
        settings["Storage:ConnectionString"] = azurite.ConnectionString;
        settings["Tokens:LockContainer"] = lockContainer;
        return settings;
    }

    public static async Task<IntegrationHost> StartAsync(IDictionary<string, string?> settings, TestClock? clock = null, Action<IServiceCollection>? services = null)
    {
        clock ??= new TestClock();
        var logs = new CapturedLogs();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddIntegration();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new IntegrationHost(host, clock, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();

        // Polly waits, on the injected clock, for executions still in flight (e.g. a failed test left a retry
        // delay pending) before its pipelines dispose; let fake time run out so teardown cannot hang.
        var dispose = Task.Run(_host.Dispose);
        for (var i = 0; i < 600 && !dispose.IsCompleted; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System));
        }

        await dispose;
    }
}
