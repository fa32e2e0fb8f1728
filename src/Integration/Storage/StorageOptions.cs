using Integration.Common;

namespace Integration.Storage;

/// <summary>The app's blob storage (section <c>Storage</c>): a connection string, or a service URI used with the managed identity.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>E.g. Azurite's connection string locally; leave empty in Azure and set <see cref="BlobServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>E.g. <c>https://account.blob.core.windows.net/</c>, used with the managed identity.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>E.g. <c>https://account.table.core.windows.net/</c>, used with the managed identity (the import ledger).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty uses the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Retry and network timeout of the Blob, Table and Queue clients (<c>Storage:Retry:*</c>).</summary>
    public AzureClientRetry Retry { get; set; } = new();
}
