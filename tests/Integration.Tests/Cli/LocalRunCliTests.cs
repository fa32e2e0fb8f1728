using System.Text.Json;
using Azure.Storage.Blobs;

namespace Integration.Tests.Cli;

/// <summary>
/// <c>integration run --local</c> and <c>integration sandbox</c> as processes: the local run's settings are defaults
/// (arguments, then the environment, win), <c>--data DIR</c> keeps Azurite's data across runs, SIGTERM stops both.
/// </summary>
public sealed class LocalRunCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("local-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Run_local_takes_arguments_over_the_environment_over_its_defaults_and_keeps_its_data_with_data_dir()
    {
        var data = Path.Combine(_folder, "azurite");
        var environment = new Dictionary<string, string> { ["Dragonfruit__BaseUrl"] = "http://127.0.0.1:9/from-environment/", ["Fragment__BaseUrl"] = "http://127.0.0.1:9/environment-loses/" };

        var first = await RunAsync(environment, data, "--Fragment:BaseUrl=http://127.0.0.1:9/from-argument/", "--Operations:MaxRedrives=7");
        await new BlobServiceClient(first["Storage:ConnectionString"]).GetBlobContainerClient("kept").CreateIfNotExistsAsync();
        await new BlobServiceClient(first["Storage:ConnectionString"]).GetBlobContainerClient("kept").UploadBlobAsync("a.csv", BinaryData.FromString("x"));
        Assert.True(await first.StopAsync() == 0, first.Error);
        var second = await RunAsync(null, data);
        var kept = await new BlobServiceClient(second["Storage:ConnectionString"]).GetBlobContainerClient("kept").GetBlobClient("a.csv").ExistsAsync();
        Assert.True(await second.StopAsync() == 0, second.Error);

        Assert.Equal("http://127.0.0.1:9/from-argument/", first["Fragment:BaseUrl"]);
        Assert.Equal("http://127.0.0.1:9/from-environment/", first["Dragonfruit:BaseUrl"]);
        Assert.StartsWith("https://127.0.0.1:", first["KeyVault:VaultUri"], StringComparison.Ordinal); // the sandbox's: nothing else set it
        Assert.Contains("Fragment http://127.0.0.1:9/from-argument/", first.Output, StringComparison.Ordinal);
        Assert.Contains($"Azurite's data is kept in {data}", first.Output, StringComparison.Ordinal);
        Assert.NotEqual(first["Storage:ConnectionString"], second["Storage:ConnectionString"]); // new ports, same data
        Assert.True(kept.Value);
        Assert.NotEqual(first["Fragment:BaseUrl"], second["Fragment:BaseUrl"]); // an argument lasts for its run only
    }

    [Fact]
    public async Task Sandbox_stops_on_sigterm_with_exit_0()
    {
        await using var sandbox = RunningCli.Start(null, "sandbox");
        sandbox.WaitForLine("Partner sandbox running");

        Assert.Equal(0, await sandbox.TerminateAsync());
        Assert.Contains("Partner sandbox stopped.", sandbox.Output, StringComparison.Ordinal);
    }

    private async Task<LocalRun> RunAsync(Dictionary<string, string>? environment, string data, params string[] overrides)
    {
        var file = Path.Combine(_folder, $"run-settings-{Guid.NewGuid():N}.json");
        var process = RunningCli.Start(environment, ["run", "--local", "--data", data, "--settings-out", file, .. overrides]);
        process.WaitForLine("Operator commands against this run");
        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(file))!;
        return new LocalRun(process, settings);
    }

    private sealed class LocalRun(RunningCli process, Dictionary<string, string> settings)
    {
        public string Output => process.Output;

        public string Error => process.Error;

        public string this[string key] => settings[key];

        public async Task<int> StopAsync()
        {
            var code = await process.TerminateAsync();
            await process.DisposeAsync();
            return code;
        }
    }
}
