using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Integration.KeyVault;
using Integration.ServiceBus;
using Integration.Storage;
using Integration.Local.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integration.Tests.Outages;

/// <summary>
/// A storage account or vault that accepts connections and never answers: every Azure SDK client gives up after its
/// configured network timeout and retries (<c>Storage:Retry</c>, <c>KeyVault:Retry</c>), not the SDK's 100 s × 4 tries.
/// </summary>
public sealed class AzureClientTimeoutTests : IDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Far below the SDK default's first timeout (100 s): a client left on its defaults fails the test.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly SilentListener _silent = new();

    public static TheoryData<string> Clients => ["blob", "table", "queue", "secret"];

    [Theory]
    [MemberData(nameof(Clients))]
    public async Task A_client_gives_up_on_a_silent_endpoint_after_its_configured_tries(string client)
    {
        using var provider = Services(new()
        {
            ["Storage:Retry:NetworkTimeout"] = "00:00:00.500",
            ["Storage:Retry:MaxRetries"] = "1",
            ["Storage:Retry:Delay"] = "00:00:00.010",
            ["Storage:Retry:MaxDelay"] = "00:00:00.010",
            ["KeyVault:Retry:NetworkTimeout"] = "00:00:00.500",
            ["KeyVault:Retry:MaxRetries"] = "2",
            ["KeyVault:Retry:Delay"] = "00:00:00.010",
            ["KeyVault:Retry:MaxDelay"] = "00:00:00.010",
        });

        var call = client switch
        {
            "blob" => provider.GetRequiredService<BlobServiceClient>().GetBlobContainerClient("c").ExistsAsync(),
            "table" => provider.GetRequiredService<TableServiceClient>().GetTableClient("t").CreateIfNotExistsAsync(),
            "queue" => provider.GetRequiredService<QueueServiceClient>().GetQueueClient("q").ExistsAsync(),
            _ => (Task)provider.GetRequiredService<SecretClient>().GetSecretAsync("s"),
        };
        var thrown = await Record.ExceptionAsync(() => call.WaitAsync(Guard));

        // 1 + MaxRetries tries, each cut off at the configured network timeout; a client on the SDK's defaults hits the guard.
        var tries = Assert.IsType<AggregateException>(thrown);
        Assert.Equal(client == "secret" ? 3 : 2, tries.InnerExceptions.Count);
        Assert.All(tries.InnerExceptions, e => Assert.Contains("exceeded the configured timeout of 0:00:00.5", e.Message, StringComparison.Ordinal));
        Assert.True(_silent.Accepted >= 1); // 1 + MaxRetries tries, each on a new connection
    }

    [Fact]
    public void The_defaults_give_up_on_a_try_after_30_s_and_on_a_call_well_inside_a_5_minute_function()
    {
        using var provider = Services([]);
        var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value.Retry;
        var vault = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value.Retry;

        Assert.Equal((TimeSpan.FromSeconds(30), 3), (storage.NetworkTimeout, storage.MaxRetries));
        Assert.Equal((TimeSpan.FromSeconds(30), 3), (vault.NetworkTimeout, vault.MaxRetries));
        Assert.True(storage.WorstCase < TimeSpan.FromMinutes(5), $"{storage.WorstCase}");
    }

    [Fact]
    public void The_app_s_Service_Bus_client_takes_its_try_timeout_and_retries_from_settings()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ServiceBusConnection:fullyQualifiedNamespace"] = "sb-integration.servicebus.windows.net",
            ["TasksQueueName"] = "tasks",
            ["ServiceBus:Retry:NetworkTimeout"] = "00:00:20",
            ["ServiceBus:Retry:MaxRetries"] = "2",
        });
        builder.AddServiceBusTaskQueue();
        using var host = builder.Build();

        var retry = host.Services.GetRequiredService<IOptionsMonitor<ServiceBusClientOptions>>().Get("Default").RetryOptions;

        Assert.Equal((TimeSpan.FromSeconds(20), 2, ServiceBusRetryMode.Exponential), (retry.TryTimeout, retry.MaxRetries, retry.Mode));
        Assert.Equal(TimeSpan.FromSeconds(10), retry.MaxDelay);
    }

    public void Dispose() => _silent.Dispose();

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var endpoint = $"http://127.0.0.1:{_silent.Port}/devstoreaccount1";
        settings["Storage:ConnectionString"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
            + $"BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint};";
        settings["KeyVault:VaultUri"] = $"https://127.0.0.1:{_silent.Port}/";
        settings["KeyVault:EmulatorCertificateThumbprint"] = "00";
        settings["KeyVault:EmulatorAccessToken"] = "emulator-token";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddBlobStorage().AddKeyVault().AddLocalTaskQueue();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
