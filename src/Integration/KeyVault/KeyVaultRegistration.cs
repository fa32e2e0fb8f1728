using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Integration.Common;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integration.KeyVault;

public static class KeyVaultRegistration
{
    /// <summary>Registers <see cref="SecretClient"/> (via Microsoft.Extensions.Azure) and <see cref="SecretStore"/>.</summary>
    public static IServiceCollection AddKeyVault(this IServiceCollection services)
    {
        services.TryAddSingleton<KnownSecrets>();
        services.AddValidatedOptions<KeyVaultOptions>(KeyVaultOptions.SectionName);
        services.AddSingleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>();
        services.AddAzureClients(clients =>
        {
            clients.AddClient<SecretClient, SecretClientOptions>((clientOptions, credential, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
                options.Retry.ApplyTo(clientOptions.Retry);
                if (options.UsesEmulator)
                {
                    ConfigureForEmulator(clientOptions, options);
                    provider.GetRequiredService<KnownSecrets>().Add(options.EmulatorAccessToken);
                    credential = new EmulatorCredential(options.EmulatorAccessToken!, provider.GetRequiredService<TimeProvider>());
                }

                return new SecretClient(options.VaultUri, credential, clientOptions);
            }).WithName(ClientName);
            clients.UseCredential(CreateCredential);
        });
        services.AddSingleton(provider => provider.GetRequiredService<IAzureClientFactory<SecretClient>>().CreateClient(ClientName));
        services.AddSingleton<SecretStore>();
        return services;
    }

    private const string ClientName = "integration";

    /// <summary>Managed identity in Azure (client id when configured), developer credentials locally.</summary>
    private static TokenCredential CreateCredential(IServiceProvider provider) =>
        AzureCredentials.Create(provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value.ManagedIdentityClientId);

    private static void ConfigureForEmulator(SecretClientOptions clientOptions, KeyVaultOptions options)
    {
        var thumbprint = options.EmulatorCertificateThumbprint!.Replace(":", "", StringComparison.Ordinal);
        clientOptions.DisableChallengeResourceVerification = true;
#pragma warning disable CA2000 // The transport owns the handler for the client's lifetime.
        var handler = new HttpClientHandler
        {
            // Trust exactly the emulator's self-signed certificate, nothing else.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase),
        };
#pragma warning restore CA2000
        clientOptions.Transport = new HttpClientTransport(handler);
    }
}
