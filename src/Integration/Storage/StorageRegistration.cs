using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Integration.Common;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddBlobStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<StorageOptions>(StorageOptions.SectionName)
            .Validate(
                o => !string.IsNullOrWhiteSpace(o.ConnectionString) ^ o.BlobServiceUri is not null,
                "Set exactly one of Storage:ConnectionString (e.g. Azurite) and Storage:BlobServiceUri (managed identity).");
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageRetryValidator>();
        services.AddAzureClients(clients => clients.AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, _, provider) =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            options.Retry.ApplyTo(clientOptions.Retry);
            if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                return new BlobServiceClient(options.ConnectionString, clientOptions);
            }

            return new BlobServiceClient(options.BlobServiceUri, AzureCredentials.Create(options.ManagedIdentityClientId), clientOptions);
        }).WithName(ClientName));
        services.AddAzureClients(clients => clients.AddClient<TableServiceClient, TableClientOptions>((clientOptions, _, provider) =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            options.Retry.ApplyTo(clientOptions.Retry);
            return !string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new TableServiceClient(options.ConnectionString, clientOptions)
                : new TableServiceClient(
                    options.TableServiceUri ?? throw new InvalidOperationException("Storage:TableServiceUri is required with Storage:BlobServiceUri."),
                    AzureCredentials.Create(options.ManagedIdentityClientId),
                    clientOptions);
        }).WithName(ClientName));
        services.AddSingleton(provider => provider.GetRequiredService<IAzureClientFactory<BlobServiceClient>>().CreateClient(ClientName));
        services.AddSingleton(provider => provider.GetRequiredService<IAzureClientFactory<TableServiceClient>>().CreateClient(ClientName));
        return services;
    }

    private const string ClientName = "integration";
}
