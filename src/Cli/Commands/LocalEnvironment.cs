using System.CommandLine;
using Integration.Sandbox;
using Integration.Sandbox.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary>
/// Azurite and the partner sandbox for a local run, with the settings that point the app at them. Those settings are
/// defaults: the environment (<c>Section__Key</c>), <c>--settings FILE</c> and <c>--Section:Key=value</c> arguments win.
/// </summary>
internal sealed class LocalEnvironment : IAsyncDisposable
{
    public const string FragmentSandboxToken = "sandbox-fragment-api-token";

    private LocalEnvironment(AzuriteProcess azurite, PartnerSandbox sandbox)
    {
        (Azurite, Sandbox) = (azurite, sandbox);
    }

    public AzuriteProcess Azurite { get; }
    public PartnerSandbox Sandbox { get; }

    /// <summary><c>--data DIR</c>: where a local run's Azurite keeps its data across runs.</summary>
    public static Option<DirectoryInfo?> DataOption() => new("--data")
    {
        Description = "Keep Azurite's blobs, queues and tables in DIR across runs (without it they live in a temp folder deleted when the run stops).",
        HelpName = "DIR",
    };

    public static async Task<LocalEnvironment> StartAsync(string refreshTokenSecretName, string fragmentTokenSecretName, string? data)
    {
        var root = FindRepositoryRoot();
        var azurite = await AzuriteProcess.StartAsync(root, data);
        var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { CertificatePath = Path.Combine(root, ".local", "sandbox-keyvault.pfx") });
        sandbox.Secrets.Set(refreshTokenSecretName, sandbox.CurrentRefreshToken);
        sandbox.Secrets.Set(fragmentTokenSecretName, FragmentSandboxToken);
        return new LocalEnvironment(azurite, sandbox);
    }

    /// <summary>
    /// With <paramref name="local"/>, starts the environment and makes its settings the lowest source of
    /// <paramref name="builder"/>'s configuration: arguments, the settings file and the environment override them.
    /// </summary>
    public static async Task<LocalEnvironment?> StartIfAsync(bool local, HostApplicationBuilder builder, DirectoryInfo? data)
    {
        if (!local)
        {
            return null;
        }

        var environment = await StartAsync(
            builder.Configuration["Tokens:RefreshTokenSecretName"] ?? new Integration.Tokens.TokensOptions().RefreshTokenSecretName,
            builder.Configuration["Fragment:ApiTokenSecretName"] ?? new Integration.Partners.FragmentOptions().ApiTokenSecretName,
            data?.FullName);
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = environment.Settings().Where(s => s.Value is not null) });
        if (builder.Configuration["Storage:ConnectionString"] == environment.Azurite.ConnectionString)
        {
            // Azurite is used: a blob service URI from elsewhere (meant for a real account) must not take it over.
            builder.Configuration["Storage:BlobServiceUri"] = null;
        }

        var settings = builder.Configuration;
        Console.WriteLine($"Local run: partner sandbox {environment.Sandbox.PartnerBaseUri}, Key Vault emulator {environment.Sandbox.KeyVaultUri}; "
            + $"in use: Dragonfruit {settings["Dragonfruit:BaseUrl"]} (tokens {settings["Dragonfruit:TokenUrl"]}), Fragment {settings["Fragment:BaseUrl"]}, Key Vault {settings["KeyVault:VaultUri"]}.");
        Console.WriteLine($"Azurite (drop CSVs into the imports container here): {environment.Azurite.ConnectionString}");
        Console.WriteLine(data is null
            ? "Azurite's data is deleted when this run stops (keep it with --data DIR)."
            : $"Azurite's data is kept in {data.FullName}.");
        return environment;
    }

    /// <summary>Settings that point the app at this environment (defaults: anything configured wins).</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = Sandbox.AppSettings();
        settings["Storage:ConnectionString"] = Azurite.ConnectionString;
        settings["Storage:BlobServiceUri"] = null;
        return settings;
    }

    /// <summary>
    /// Writes the effective values of <see cref="Settings"/>' keys (an override the run took is written as taken) to
    /// <paramref name="file"/> (default <c>.local/run-settings.json</c>), so other commands reach this run with
    /// <c>--settings</c>; answers its path.
    /// </summary>
    public string WriteSettings(IConfiguration configuration, string? file)
    {
        file ??= Path.Combine(FindRepositoryRoot(), ".local", "run-settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var effective = Settings().Keys.Select(key => (key, value: configuration[key])).Where(s => s.value is not null).ToDictionary(s => s.key, s => s.value);
        File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(effective, Integration.Operations.OpsJson.Options));
        return Path.GetRelativePath(Environment.CurrentDirectory, file);
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Integration.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("--local needs the repository checkout (package.json with Azurite); run it from inside the repository.");
    }
}
