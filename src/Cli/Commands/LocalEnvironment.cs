using Integration.Sandbox;
using Integration.Sandbox.Local;

namespace Integration.Cli.Commands;

/// <summary>Azurite and the partner sandbox for a local run, with the settings that point the app at them.</summary>
internal sealed class LocalEnvironment : IAsyncDisposable
{
    public const string FragmentSandboxToken = "sandbox-fragment-api-token";

    private LocalEnvironment(AzuriteProcess azurite, PartnerSandbox sandbox)
    {
        (Azurite, Sandbox) = (azurite, sandbox);
    }

    public AzuriteProcess Azurite { get; }
    public PartnerSandbox Sandbox { get; }

    public static async Task<LocalEnvironment> StartAsync(string refreshTokenSecretName, string fragmentTokenSecretName)
    {
        var root = FindRepositoryRoot();
        var azurite = await AzuriteProcess.StartAsync(root);
        var sandbox = await PartnerSandbox.StartAsync(new SandboxOptions { CertificatePath = Path.Combine(root, ".local", "sandbox-keyvault.pfx") });
        sandbox.Secrets.Set(refreshTokenSecretName, sandbox.CurrentRefreshToken);
        sandbox.Secrets.Set(fragmentTokenSecretName, FragmentSandboxToken);
        return new LocalEnvironment(azurite, sandbox);
    }

    /// <summary>With <paramref name="local"/>, starts the environment and points <paramref name="builder"/>'s settings at it.</summary>
    public static async Task<LocalEnvironment?> StartIfAsync(bool local, Microsoft.Extensions.Hosting.HostApplicationBuilder builder)
    {
        if (!local)
        {
            return null;
        }

        var environment = await StartAsync(
            builder.Configuration["Tokens:RefreshTokenSecretName"] ?? new Integration.Tokens.TokensOptions().RefreshTokenSecretName,
            builder.Configuration["Fragment:ApiTokenSecretName"] ?? new Integration.Partners.FragmentOptions().ApiTokenSecretName);
        Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(builder.Configuration, environment.Settings());
        Console.WriteLine($"Local run: partner sandbox {environment.Sandbox.PartnerBaseUri}, Key Vault emulator {environment.Sandbox.KeyVaultUri}.");
        Console.WriteLine($"Azurite (drop CSVs into the imports container here): {environment.Azurite.ConnectionString}");
        return environment;
    }

    /// <summary>Settings that point the app at this environment (they override anything configured).</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = Sandbox.AppSettings();
        settings["Storage:ConnectionString"] = Azurite.ConnectionString;
        settings["Storage:BlobServiceUri"] = null;
        return settings;
    }

    /// <summary>Writes <see cref="Settings"/> (and the Fragment token's secret name) to <c>.local/run-settings.json</c>; answers its path.</summary>
    public string WriteSettings()
    {
        var file = Path.Combine(FindRepositoryRoot(), ".local", "run-settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, System.Text.Json.JsonSerializer.Serialize(Settings().Where(s => s.Value is not null).ToDictionary(), Integration.Operations.OpsJson.Options));
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
