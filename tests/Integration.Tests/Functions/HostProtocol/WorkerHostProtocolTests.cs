using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tests.Functions.HostProtocol.Rpc;
using Integration.Tests.Infra;

namespace Integration.Tests.Functions.HostProtocol;

/// <summary>
/// The built Function App, run as the Functions host runs it (<see cref="FunctionsHostHarness"/>): Program.cs, its
/// dependency injection, the settings names, binding conversion and the invocation middleware, in the real worker,
/// against the partner sandbox and Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerHostProtocolTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PartnerSandbox _sandbox = null!;
    private FunctionsHostHarness _host = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await PartnerSandbox.StartAsync(new SandboxOptions());
        _sandbox.Secrets.Set("fragment-api-token", new SandboxOptions().FragmentApiToken);
        var settings = new Dictionary<string, string?>(AppSettingsSources.ReadSample().Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)), StringComparer.Ordinal);
        foreach (var (key, value) in IntegrationHost.Settings(_sandbox, azurite, $"locks-{Guid.NewGuid():N}"[..20]))
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        settings["ImportsStorage"] = azurite.ConnectionString;
        settings["Storage__BlobServiceUri"] = "";
        settings["Storage__TableServiceUri"] = "";
        _host = await FunctionsHostHarness.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private static ParameterBinding Timer() => new()
    {
        Name = "timer",
        Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
    };

    [Fact]
    public async Task The_worker_reports_and_loads_every_function_of_the_metadata()
    {
        Assert.Contains("RefreshDragonfruitTokens", _host.Functions.Keys);
        Assert.Contains("ImportCsv", _host.Functions.Keys);
        Assert.Contains("ListImports", _host.Functions.Keys);
        Assert.Equal(10, _host.Functions.Count);
    }

    [Fact]
    public async Task The_timer_stores_fresh_tokens_in_the_sandbox_key_vault()
    {
        _sandbox.Secrets.Set("dragonfruit-refresh-token", _sandbox.CurrentRefreshToken);
        Assert.Null(_sandbox.Secrets.GetValue("dragonfruit-id-token"));

        var response = await _host.InvokeAsync("RefreshDragonfruitTokens", [Timer()]);

        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{response}\n{_host.WorkerOutput}");
        Assert.False(string.IsNullOrEmpty(_sandbox.Secrets.GetValue("dragonfruit-id-token")));
        Assert.False(string.IsNullOrEmpty(_sandbox.Secrets.GetValue("dragonfruit-access-token")));
    }

    [Fact]
    public async Task A_failing_invocation_is_reported_as_failed_naming_the_secret_to_fix_without_its_value()
    {
        const string Refused = "rt-refused-by-dragonfruit-7f3a9c";
        _sandbox.Secrets.Set("dragonfruit-refresh-token", Refused);

        var response = await _host.InvokeAsync("RefreshDragonfruitTokens", [Timer()]);

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("dragonfruit-refresh-token", response.Result.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Refused, _host.Transcript, StringComparison.Ordinal);
        Assert.Null(_sandbox.Secrets.GetValue("dragonfruit-id-token"));
    }
}
