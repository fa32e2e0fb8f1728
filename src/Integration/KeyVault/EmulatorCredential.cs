using Azure.Core;

namespace Integration.KeyVault;

/// <summary>The fixed bearer a local Key Vault emulator accepts; never used against a real vault.</summary>
internal sealed class EmulatorCredential(string accessToken, TimeProvider time) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(accessToken, time.GetUtcNow().AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
