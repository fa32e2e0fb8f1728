using System.Text;
using System.Text.Json;
using Integration.Common;
using Integration.Partners;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Integration.Tokens;

/// <summary>Calls Dragonfruit's <c>get_new_tokens</c> and turns every answer into a <see cref="TokenExchangeResult"/>.</summary>
public sealed class DragonfruitTokenClient(
    IHttpClientFactory httpClientFactory,
    IOptions<DragonfruitOptions> options,
    KnownSecrets known,
    ILogger<DragonfruitTokenClient> logger)
{
    public const string HttpClientName = "Dragonfruit.Tokens";

    public async Task<TokenExchangeResult> ExchangeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        known.Add(refreshToken);
        var tokenUrl = options.Value.TokenUrl!;
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new StringContent(JsonSerializer.Serialize(new { refreshToken }), Encoding.UTF8, "application/json"),
        };
        HttpResponseMessage response;
        try
        {
            response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            logger.LogError("Dragonfruit token endpoint {Endpoint} unreachable after retries: {Failure}", tokenUrl, e.GetType().Name);
            return new TokenExchangeResult.Failed($"token endpoint unreachable after retries ({e.GetType().Name})", null, null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var requestId = options.Value.FindRequestId(response.Headers);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning(
                    "Dragonfruit token endpoint {Endpoint} answered HTTP {Status} (request id {PartnerRequestId}): {Body}",
                    tokenUrl,
                    status,
                    requestId,
                    known.Redact(body));
                return TransientHttp.IsTransient(response.StatusCode)
                    ? new TokenExchangeResult.Failed($"HTTP {status} after retries", status, requestId)
                    : new TokenExchangeResult.Rejected(status, requestId);
            }

            var parsed = TokenAnswerParser.Parse(body);
            if (parsed.Tokens is { } issued)
            {
                known.Add(issued.IdToken);
                known.Add(issued.AccessToken);
                known.Add(issued.RefreshToken);
            }
            else
            {
                // The problem may quote the answer's message, which a partner may fill with the credential it refused.
                var problem = known.Mask(parsed.Problem);
                logger.LogError(
                    "Dragonfruit token endpoint answered HTTP {Status} (request id {PartnerRequestId}) without usable tokens: {Problem}. Body: {Body}",
                    status,
                    requestId,
                    problem,
                    known.Redact(body));
                return new TokenExchangeResult.Failed(problem, status, requestId);
            }

            return new TokenExchangeResult.Issued(issued, requestId);
        }
    }
}
