using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Google.Protobuf;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Integration.Tests.Functions.HostProtocol.Rpc;
using Integration.Tests.Infra;

namespace Integration.Tests.Functions.HostProtocol;

/// <summary>
/// The built Function App, run as the Functions host runs it (<see cref="FunctionsHostHarness"/>): Program.cs, its
/// dependency injection, the settings names, binding conversion and the invocation middleware, in the real worker,
/// against the partner sandbox and Azurite. One worker process per test.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerHostProtocolTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _imports = $"imports-{Guid.NewGuid():N}"[..24];
    private readonly string _results = $"results-{Guid.NewGuid():N}"[..24];
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
        settings["Imports__Container"] = _imports;
        settings["Imports__ResultsContainer"] = _results;
        settings["Imports__LedgerTable"] = $"l{Guid.NewGuid():N}";
        settings["Operations__AuditTable"] = $"a{Guid.NewGuid():N}";
        settings["Tasks__RequestLogTable"] = $"r{Guid.NewGuid():N}";
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
    public void The_worker_reports_and_loads_every_function_of_the_built_metadata()
    {
        var built = JsonNode.Parse(File.ReadAllText(BuiltFunctionApp.MetadataFile))!.AsArray().Select(f => (string)f!["name"]!);

        Assert.Equal(built.Order(StringComparer.Ordinal), _host.Functions.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("ImportCsv", _host.Functions.Keys);
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

    [Fact]
    public async Task A_drop_through_the_event_grid_blob_trigger_gets_its_report_and_the_ops_list_shows_it()
    {
        _sandbox.Secrets.Set("dragonfruit-refresh-token", _sandbox.CurrentRefreshToken);
        const string Name = "42/sites/drop.csv";
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var drop = blobs.GetBlobContainerClient(_imports);
        await drop.CreateIfNotExistsAsync();
        await drop.UploadBlobAsync(Name, BinaryData.FromString("site_id,name\n1,North\n2,South\n"));
        var blobUri = drop.GetBlobClient(Name).Uri.ToString();

        // What the blob extension sends for a BlobClient parameter (deferred binding) with an Event Grid source.
        var binding = new ModelBindingData
        {
            Version = "1.0",
            Source = "AzureStorageBlobs",
            ContentType = "application/json",
            Content = ByteString.CopyFromUtf8($$"""{"Connection":"ImportsStorage","ContainerName":"{{_imports}}","BlobName":"{{Name}}"}"""),
        };
        var response = await _host.InvokeAsync(
            "ImportCsv",
            [new ParameterBinding { Name = "blob", Data = new TypedData { ModelBindingData = binding } }],
            new Dictionary<string, TypedData>
            {
                ["BlobTrigger"] = new() { String = $"{_imports}/{Name}" },
                ["name"] = new() { String = Name },
                ["Uri"] = new() { Json = $"\"{blobUri}\"" },
            });

        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{response}\n{_host.WorkerOutput}");
        var report = await blobs.GetBlobContainerClient(_results).GetBlobClient($"{Name}.report.json").DownloadContentAsync();
        Assert.Equal("succeeded", (string?)JsonNode.Parse(report.Value.Content.ToString())!["status"]);

        var list = await HttpAsync("ListImports", "GET", "ops/imports", new() { ["status"] = "all", ["since"] = "24h" });
        Assert.Equal("200", list.StatusCode);
        var imports = JsonNode.Parse(Body(list))!["items"]!.AsArray();
        Assert.True(imports.Any(i => i!.ToJsonString().Contains(Name, StringComparison.Ordinal)), Body(list));
    }

    [Fact]
    public async Task The_redrive_function_answers_a_request_it_cannot_read_with_400_and_a_json_error()
    {
        var response = await HttpAsync("RedriveDeadLetters", "POST", "ops/deadletters/redrive", [], body: """{"dryRun": tru""");

        Assert.Equal("400", response.StatusCode);
        Assert.Contains("dryRun", (string?)JsonNode.Parse(Body(response))!["error"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"dryRun": tru""", "discard command")]
    [InlineData("""{"maxMessages": 0}""", "maxMessages")]
    [InlineData("""{"since": "yesterday"}""", "since")]
    public async Task The_discard_function_answers_bad_input_with_400_naming_it_and_discards_nothing(string body, string named)
    {
        var response = await HttpAsync("DiscardDeadLetters", "POST", "ops/deadletters/discard", [], body);

        Assert.Equal("400", response.StatusCode);
        Assert.Contains(named, (string?)JsonNode.Parse(Body(response))!["error"], StringComparison.Ordinal);
    }

    private async Task<RpcHttp> HttpAsync(string function, string method, string route, Dictionary<string, string> query, string? body = null)
    {
        var queryString = string.Join('&', query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}"));
        var request = new RpcHttp { Method = method, Url = $"http://localhost:7071/api/{route}{(queryString.Length > 0 ? "?" + queryString : "")}" };
        request.Headers["content-type"] = "application/json";
        request.NullableHeaders["content-type"] = new NullableString { Value = "application/json" }; // the worker reads these (GrpcHttpRequestData.Headers)
        request.Query.Add(query);
        if (body is not null)
        {
            request.Body = new TypedData { Bytes = ByteString.CopyFromUtf8(body) };
        }

        var response = await _host.InvokeAsync(function, [new ParameterBinding { Name = "request", Data = new TypedData { Http = request } }]);
        Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{response}\n{_host.WorkerOutput}");
        return response.ReturnValue?.Http ?? response.OutputData.Single(o => o.Name == "$return").Data.Http;
    }

    private static string Body(RpcHttp response) => response.Body.DataCase switch
    {
        TypedData.DataOneofCase.Bytes => Encoding.UTF8.GetString(response.Body.Bytes.Span),
        TypedData.DataOneofCase.Stream => Encoding.UTF8.GetString(response.Body.Stream.Span),
        _ => response.Body.String,
    };
}
