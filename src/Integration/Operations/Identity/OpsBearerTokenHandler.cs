using System.Net.Http.Headers;
using Azure.Core;
using Azure.Identity;

namespace Integration.Operations.Identity;

/// <summary>
/// The CLI's side of the ops identity: every request to the ops endpoints carries a bearer token for the ops app
/// registration (<paramref name="scope"/>, e.g. <c>api://CLIENT_ID/.default</c>) from <paramref name="credential"/>
/// (the CLI uses DefaultAzureCredential: <c>az login</c>, environment, managed identity). The token is reused until
/// five minutes before it expires; it is never logged or printed.
/// </summary>
public sealed class OpsBearerTokenHandler(TokenCredential credential, string scope, TimeProvider time) : DelegatingHandler
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not { } token || token.ExpiresOn - RenewBefore <= time.GetUtcNow())
            {
                try
                {
                    token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
                }
                catch (AuthenticationFailedException e)
                {
                    // One line for the operator (the CLI prints it and exits 3); the credential's own text can span many.
                    throw new HttpRequestException(
                        $"No Entra ID token for {scope} (sign in with az login, or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET): {e.Message.Split('\n')[0].Trim()}", e);
                }

                _token = token;
            }

            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
