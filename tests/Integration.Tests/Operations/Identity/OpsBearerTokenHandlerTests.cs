using System.Net;
using Azure.Core;
using Azure.Identity;
using Integration.Operations.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Integration.Tests.Operations.Identity;

/// <summary>The CLI's --remote calls carry a bearer token for the ops app registration, fetched once and renewed before it expires.</summary>
public sealed class OpsBearerTokenHandlerTests
{
    private const string Scope = "api://3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b/.default";

    [Fact]
    public async Task Every_request_carries_the_token_for_the_ops_scope_and_one_token_serves_until_near_its_expiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var credential = new IssuingCredential(time, TimeSpan.FromMinutes(60));
        var seen = new List<string?>();
        using var client = new HttpClient(new OpsBearerTokenHandler(credential, Scope, time) { InnerHandler = new Recording(seen) });

        await client.GetAsync(new Uri("https://app.example.invalid/api/ops/imports"));
        time.Advance(TimeSpan.FromMinutes(54));
        await client.GetAsync(new Uri("https://app.example.invalid/api/ops/imports"));
        time.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: renewed
        await client.GetAsync(new Uri("https://app.example.invalid/api/ops/imports"));

        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], seen);
        Assert.All(credential.Scopes, scopes => Assert.Equal([Scope], scopes));
    }

    [Fact]
    public async Task No_credential_is_one_line_naming_the_scope_and_az_login()
    {
        using var client = new HttpClient(new OpsBearerTokenHandler(new FailingCredential(), Scope, TimeProvider.System) { InnerHandler = new Recording([]) });

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("https://app.example.invalid/api/ops/imports")));

        Assert.Contains(Scope, e.Message, StringComparison.Ordinal);
        Assert.Contains("az login", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>Issues numbered tokens valid for <paramref name="lifetime"/> from the fake clock.</summary>
    private sealed class IssuingCredential(TimeProvider time, TimeSpan lifetime) : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Add(requestContext.Scopes);
            return new AccessToken($"token-{Scopes.Count}", time.GetUtcNow() + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>As DefaultAzureCredential answers on a machine with no az login and no environment credential.</summary>
    private sealed class FailingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new CredentialUnavailableException("DefaultAzureCredential failed to retrieve a token from the included credentials.\n- AzureCliCredential: Please run 'az login' to set up account");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>The end of the pipeline: records the Authorization header and answers 200.</summary>
    private sealed class Recording(List<string?> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
