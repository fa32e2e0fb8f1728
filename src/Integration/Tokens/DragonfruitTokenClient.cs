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
    ILogger<DragonfruitTokenClient> logger)
{
    public const string HttpClientName = "Dragonfruit.Tokens";

    public async Task<TokenExchangeResult> ExchangeAsync(string refreshToken, CancellationToken cancellationToken)
    {
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
                    SecretRedactor.Redact(body, refreshToken));
                return TransientHttp.IsTransient(response.StatusCode)
                    ? new TokenExchangeResult.Failed($"HTTP {status} after retries", status, requestId)
                    : new TokenExchangeResult.Rejected(status, requestId);
            }

            var parsed = TokenAnswerParser.Parse(body);
            if (parsed.Tokens is null)
            {
                logger.LogError(
                    "Dragonfruit token endpoint answered HTTP {Status} (request id {PartnerRequestId}) without usable tokens: {Problem}. Body: {Body}",
                    status,
                    requestId,
                    parsed.Problem,
                    SecretRedactor.Redact(body, refreshToken));
                return new TokenExchangeResult.Failed(parsed.Problem!, status, requestId);
            }

            return new TokenExchangeResult.Issued(parsed.Tokens, requestId);
        }
    }
}
