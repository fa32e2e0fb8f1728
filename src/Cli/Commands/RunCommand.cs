using Integration.Partners;
using Integration.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Cli.Commands;

/// <summary><c>integration run [--local]</c>: the pipelines in one process, on their schedules.</summary>
internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(string[] args)
    {
        var local = args.Contains("--local");
        var builder = ConsoleHost.CreateBuilder(args.Where(a => a != "--local").ToArray());
        await using var environment = local
            ? await LocalEnvironment.StartAsync(
                builder.Configuration[$"{TokensOptions.SectionName}:{nameof(TokensOptions.RefreshTokenSecretName)}"] ?? new TokensOptions().RefreshTokenSecretName,
                builder.Configuration[$"{FragmentOptions.SectionName}:{nameof(FragmentOptions.ApiTokenSecretName)}"] ?? new FragmentOptions().ApiTokenSecretName)
            : null;
        if (environment is not null)
        {
            builder.Configuration.AddInMemoryCollection(environment.Settings());
            Console.WriteLine($"Local run: partner sandbox {environment.Sandbox.PartnerBaseUri}, Key Vault emulator {environment.Sandbox.KeyVaultUri}, Azurite blob port {environment.Azurite.BlobPort}.");
        }

        builder.AddIntegration();
        builder.Services.AddHostedService<TokenRefreshSchedule>();
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }
}
