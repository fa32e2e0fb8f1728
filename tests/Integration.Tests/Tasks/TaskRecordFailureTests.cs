using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Integration.Sandbox;
using Integration.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Tasks;

/// <summary>
/// Fragment applied a version and storage then failed to record it (an outage between the PUT and the write): the
/// message is completed all the same, so it is not sent again, and the claim's high-water mark still keeps every older
/// version out.
/// </summary>
public sealed partial class TaskRecordFailureTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    private const string ExternalId = "ticket#ID#record";
    private readonly string _versionTable = $"v{Guid.NewGuid():N}";
    private readonly FailRecordWrites _failing = new();

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:VersionTable"] = _versionTable,
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:Table"] = $"l{Guid.NewGuid():N}",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        _failing.Table = _versionTable;
        var options = new TableClientOptions();
        options.AddPolicy(_failing, HttpPipelinePosition.PerCall);
        services.AddSingleton(new TableServiceClient(Azurite.ConnectionString, options));
    }

    [Fact]
    public async Task A_version_Fragment_applied_but_storage_could_not_record_is_completed_not_sent_again_and_older_ones_stay_out()
    {
        var store = App.Services.GetRequiredService<TaskVersionStore>();
        var uid = Integration.Tasks.Messages.FragmentUid.FromExternalId(ExternalId);
        var applied = await HandleAsync(Task(5));
        App.Clock.Advance(TimeSpan.FromMinutes(5)); // past the claim left behind
        var older = await HandleAsync(Task(4));
        var unrecorded = await store.GetAsync(uid, CancellationToken.None);

        Assert.Equal(1, _failing.Refused);
        Assert.Equal("Complete", applied.Kind); // not rescheduled: a redelivery would PUT v5 again
        Assert.Equal("Complete", older.Kind); // stale against the claimed v5, no call
        Assert.Equal(1, Sandbox.Tasks.PutCount);
        Assert.Contains(App.Logs.Lines, l => l.Message.Contains("could not be recorded", StringComparison.Ordinal) && l.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal(((long?)null, (long?)5), (unrecorded!.Applied.Number, unrecorded.HighWaterMark.Number)); // nothing recorded as applied

        // Where the completion failed too (the local queue is in that storage), the same message comes back: recorded
        // now, completed, and still not sent again.
        var redelivered = await HandleAsync(Task(5));

        Assert.Equal("Complete", redelivered.Kind);
        Assert.Equal(1, Sandbox.Tasks.PutCount);
        Assert.Equal(5L, (await store.GetAsync(uid, CancellationToken.None))!.Applied.Number);
    }

    private async Task<RecordingSettlement> HandleAsync(string body)
    {
        var settlement = new RecordingSettlement();
        var message = new IncomingTask(Guid.NewGuid().ToString("N"), BinaryData.FromString(body), 1, new Dictionary<string, object>(), App.Clock.GetUtcNow());
        await App.Services.GetRequiredService<ITaskHandler>().HandleAsync(message, settlement, CancellationToken.None);
        return await settlement.Settled.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static string Task(int version) =>
        $$"""{"external_id":"{{ExternalId}}","status":"TODO","fields":{"title":"v{{version}}"},"version":{{version}}}""";

    /// <summary>Storage unavailable for the write that records an applied version (and only that one, once).</summary>
    private sealed partial class FailRecordWrites : HttpPipelinePolicy
    {
        public string Table { get; set; } = "";

        public int Refused { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The tests' table clients are async.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var request = message.Request;
            if (Refused == 0 && request.Method != RequestMethod.Get && request.Uri.Path.Contains($"/{Table}(", StringComparison.Ordinal) && request.Content is { } content)
            {
                using var buffer = new MemoryStream();
                await content.WriteToAsync(buffer, message.CancellationToken);
                if (AppliedVersion().IsMatch(System.Text.Encoding.UTF8.GetString(buffer.ToArray())))
                {
                    Refused++;
                    throw new RequestFailedException(503, "Injected: storage unavailable while recording the applied version.");
                }
            }

            await ProcessNextAsync(message, pipeline);
        }

        [GeneratedRegex(@"""AppliedVersionNumber""\s*:\s*""?\d")] // Int64 values go as strings
        private static partial Regex AppliedVersion();
    }
}
