using Integration.Common;
using Integration.Partners;
using Integration.Tasks.RateLimiting;
using Microsoft.Extensions.Options;

namespace Integration.Tasks;

/// <summary>
/// Sits inside the Fragment client's resilience pipeline, so it runs once per attempt, quick retries included (each of
/// which has already taken a slot of the shared budget, <see cref="FragmentBudgetStrategy"/>): every attempt gets its
/// request-log row.
/// </summary>
public sealed class FragmentAttemptHandler(
    RequestLog requests,
    IOptions<FragmentOptions> fragment,
    KnownSecrets known,
    TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(FragmentRequestContext.Key, out var context);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // An attempt timeout cancels the token too: the row is still owed, so it is written regardless of it.
            await LogAsync(request, context, status: null, requestId: null, error: e is OperationCanceledException ? "attempt timed out or cancelled" : e.GetType().Name, CancellationToken.None);
            throw;
        }

        string? error = null;
        if (!response.IsSuccessStatusCode)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            error = Truncate(known.Redact(await response.Content.ReadAsStringAsync(cancellationToken)), 1024);
        }

        await LogAsync(request, context, (int)response.StatusCode, fragment.Value.FindRequestId(response.Headers), error, cancellationToken);
        return response;
    }

    /// <summary>One row per task the attempt carried: a batch logs each of its tasks with the batch's answer.</summary>
    private async Task LogAsync(HttpRequestMessage request, FragmentRequestContext? context, int? status, string? requestId, string? error, CancellationToken cancellationToken)
    {
        if (context?.Items is not { } items)
        {
            await LogItemAsync(request, context, status, requestId, error, cancellationToken);
            return;
        }

        foreach (var item in items)
        {
            await LogItemAsync(request, item, status, requestId, error, cancellationToken);
        }
    }

    private Task LogItemAsync(HttpRequestMessage request, FragmentRequestContext? context, int? status, string? requestId, string? error, CancellationToken cancellationToken) =>
        requests.AddAsync(new RequestLogEntity
        {
            At = time.GetUtcNow(),
            Endpoint = $"{request.Method} {request.RequestUri?.AbsolutePath}",
            TaskUid = context?.TaskUid ?? "",
            MessageId = context?.MessageId ?? "",
            Status = status,
            PartnerRequestId = requestId,
            Error = error,
            Attempt = context?.Attempt ?? 0,
            Trigger = context?.Trigger ?? "normal",
            Version = context?.Version,
            MessageBody = status is >= 200 and < 300 && context?.MessageBody is { Length: <= RequestLogEntity.MaxMessageBodyChars } body ? body : null,
            MessageBodyOmitted = status is >= 200 and < 300 && context?.MessageBody is { Length: > RequestLogEntity.MaxMessageBodyChars },
        }, cancellationToken);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
