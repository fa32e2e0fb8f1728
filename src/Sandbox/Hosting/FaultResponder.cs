using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Integration.Sandbox.Hosting;

/// <summary>Carries out one <see cref="Fault"/>. Waits end when the client aborts or the sandbox stops.</summary>
internal static class FaultResponder
{
    /// <summary>
    /// Returns the status the fault answered with (0 when it answered nothing: dropped, hung or aborted),
    /// or null when the request should now be answered normally.
    /// </summary>
    public static async Task<int?> ApplyAsync(HttpContext context, Fault fault, CancellationToken stopping)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            if (fault.DropConnection)
            {
                context.Abort();
                return 0;
            }

            if (fault.Hang)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, wait.Token);
            }

            if (fault.Gate is { } gate)
            {
                await gate.Task.WaitAsync(wait.Token);
            }

            if (fault.Delay is { } delay)
            {
                await Task.Delay(delay, wait.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return 0;
        }

        if (fault.RetryAfter is { } retryAfter)
        {
            var seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (fault.Status is null && fault.Body is null)
        {
            return null;
        }

        context.Response.StatusCode = fault.Status ?? StatusCodes.Status200OK;
        if (fault.Body is { } body)
        {
            if (fault.EchoCredential)
            {
                body = body.Replace(Fault.CredentialPlaceholder, await PresentedCredentialAsync(context.Request), StringComparison.Ordinal);
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }

        return context.Response.StatusCode;
    }

    /// <summary>The <c>Authorization</c> header's credential, else the JSON body's <c>refreshToken</c> (the token route), else empty.</summary>
    private static async Task<string> PresentedCredentialAsync(HttpRequest request)
    {
        if (System.Net.Http.Headers.AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var authorization))
        {
            return authorization.Parameter ?? authorization.Scheme;
        }

        try
        {
            request.EnableBuffering();
            request.Body.Position = 0;
            using var json = await System.Text.Json.JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return json.RootElement.TryGetProperty("refreshToken", out var token) ? token.GetString() ?? "" : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }
}
