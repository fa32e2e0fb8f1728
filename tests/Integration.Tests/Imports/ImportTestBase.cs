using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Integration.Imports;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Imports;

/// <summary>Drops files into an Azurite container and runs the import handler against the sandbox, as the blob trigger would.</summary>
public abstract class ImportTestBase(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    protected const string Import = "import";

    protected string Container { get; } = $"imports-{Guid.NewGuid():N}"[..20];
    protected string Results { get; } = $"results-{Guid.NewGuid():N}"[..20];
    protected string Ledger { get; } = $"ledger{Guid.NewGuid():N}"[..20];

    /// <summary>The operations audit table of this test (re-imports, resolves).</summary>
    protected string Audit { get; } = $"audit{Guid.NewGuid():N}"[..20];

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Imports:Container"] = Container,
        ["Imports:ResultsContainer"] = Results,
        ["Imports:LedgerTable"] = Ledger,
        ["Operations:AuditTable"] = Audit,
        ["Imports:MaxPartBytes"] = "3000",
        ["Imports:MaxFileBytes"] = "100000",
        ["Imports:ExpectContinueMinBytes"] = "0", // every upload asks first, as large ones do in production
        ["Imports:BufferMaxBytes"] = "512", // most test files are streamed by ranges, as files above 2 MiB are in production
    };

    /// <summary>A sandbox of its own (e.g. with an upload cap), holding a valid refresh token.</summary>
    protected static async Task<PartnerSandbox> StartSandboxAsync(SandboxOptions options)
    {
        var sandbox = await PartnerSandbox.StartAsync(options);
        sandbox.Secrets.Set(RefreshSecret, sandbox.CurrentRefreshToken);
        return sandbox;
    }

    /// <summary>Another app with this class's import settings, pointed at <paramref name="sandbox"/>.</summary>
    protected Task<IntegrationHost> StartAppAsync(PartnerSandbox sandbox, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = IntegrationHost.Settings(sandbox, Azurite, LockContainer);
        foreach (var (key, value) in AppSettings!.Concat(extra ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }

        return IntegrationHost.StartAsync(settings, services: services);
    }

    protected BlobContainerClient Drops => new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Container);

    protected async Task<BlobClient> DropAsync(string name, string content) => await DropAsync(name, Encoding.UTF8.GetBytes(content));

    protected async Task<BlobClient> DropAsync(string name, byte[] content)
    {
        await Drops.CreateIfNotExistsAsync();
        var blob = Drops.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return blob;
    }

    /// <summary>Waits for the upload's retry number <paramref name="retryNumber"/> to be scheduled, then moves time past its delay.</summary>
    protected static async Task<LogLine> AdvancePastRetryAsync(IntegrationHost app, int retryNumber = 1)
    {
        var retry = await app.Logs.WaitForAsync(l => l.Property<int>("RetryNumber") == retryNumber);
        await app.Clock.AdvanceWhenWaitingAsync(retry.Property<TimeSpan>("RetryDelay"));
        return retry;
    }

    protected Task<ImportOutcome> ImportAsync(BlobClient blob, IntegrationHost? app = null) =>
        (app ?? App).Services.GetRequiredService<ImportHandler>().HandleAsync(blob, CancellationToken.None);

    protected async Task<JsonElement> ReportAsync(string blobName)
    {
        var content = await new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Results)
            .GetBlobClient(ImportReports.ReportName(blobName)).DownloadContentAsync();
        return JsonDocument.Parse(content.Value.Content.ToString()).RootElement.Clone();
    }

    protected async Task<string> ResultTextAsync(string name) =>
        (await new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Results).GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString();

    protected static string Csv(int rows, Func<int, string>? row = null) =>
        "site_id,name,address\n" + string.Concat(Enumerable.Range(1, rows).Select(i => (row ?? (n => $"S{n},Site {n},\"{n} Main St, Springfield\"")).Invoke(i) + "\n"));
}
