using Azure.Core;
using Azure.Identity;

namespace Integration.Common;

internal static class AzureCredentials
{
    /// <summary>The user-assigned managed identity when a client id is set; otherwise the default chain (developer identity locally).</summary>
    public static TokenCredential Create(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = managedIdentityClientId });
}
