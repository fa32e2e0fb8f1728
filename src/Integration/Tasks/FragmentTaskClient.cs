using Integration.Common;
using System.Net.Http.Headers;
using System.Text;
using Integration.Partners;
using Integration.Tasks.RateLimiting;
using Integration.Tokens;
using Microsoft.Extensions.Options;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Integration.Tasks;

/// <summary>
/// Fragment's answer to one upsert (after the client's quick retries), or why none came: a transport failure, or no
/// slot in the shared budget before <see cref="NoSlotBefore"/> (then nothing more was sent).
/// </summary>
public sealed record FragmentAnswer(int? Status, string? RequestId, string Body, TimeSpan? RetryAfter, string? TransportFailure, DateTimeOffset? NoSlotBefore = null);

/// <summary>
/// <c>PUT /tasks/{uid}</c> with the Fragment API token from Key Vault; quick retries come from the client's resilience
/// pipeline, and every attempt passes the shared rate limit and the request log (<see cref="FragmentAttemptHandler"/>).
/// </summary>
public sealed class FragmentTaskClient(IHttpClientFactory httpClientFactory, FragmentTokenProvider tokens, IOptions<FragmentOptions> fragment, KnownSecrets known, TimeProvider time)
{
    public const string HttpClientName = "Fragment.Tasks";

    public Task<FragmentAnswer> PutAsync(Guid uid, string body, FragmentRequestContext context, CancellationToken cancellationToken) =>
        SendAsync($"tasks/{uid:D}", body, context, cancellationToken);

    /// <summary><c>PUT /tasks/batch</c> with <c>{"items":[{"uid":…, task…}, …]}</c>: one request for every task in it.</summary>
    public Task<FragmentAnswer> PutBatchAsync(IReadOnlyList<(Guid Uid, string Body)> items, IReadOnlyList<FragmentRequestContext> contexts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var body = new StringBuilder("{\"items\":[");
        for (var i = 0; i < items.Count; i++)
        {
            var (uid, task) = items[i];
            body.Append(i == 0 ? "" : ",").Append("{\"uid\":\"").Append(uid.ToString("D")).Append('"').Append(task.Length > 2 ? "," : "").Append(task.AsSpan(1));
        }

        return SendAsync("tasks/batch", body.Append("]}").ToString(), FragmentRequestContext.Batch(contexts), cancellationToken);
    }

    private async Task<FragmentAnswer> SendAsync(string path, string body, FragmentRequestContext context, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(fragment.Value.BaseUrl!, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetApiTokenAsync(cancellationToken));
        request.Options.Set(FragmentRequestContext.Key, context);
        try
        {
            using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return new FragmentAnswer(
                (int)response.StatusCode,
                fragment.Value.FindRequestId(response.Headers),
                known.Mask(await response.Content.ReadAsStringAsync(cancellationToken)), // a partner may echo the API token

                TransientHttp.RetryAfter(response.Headers, time),
                null);
        }
        catch (RateLimiterRejectedException e)
        {
            return new FragmentAnswer(null, null, "", null, null, time.GetUtcNow() + (e.RetryAfter ?? TimeSpan.Zero));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            return new FragmentAnswer(null, null, "", null, e.GetType().Name);
        }
    }
}
