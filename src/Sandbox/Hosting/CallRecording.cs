using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Hosting;

/// <summary>
/// Per request on a recorded route: stamps a request id header, records the arrival in the <see cref="CallLog"/>
/// (before any fault waits), applies the next queued <see cref="Fault"/>, and fills in the answered status.
/// </summary>
internal sealed class CallRecording(
    CallLog calls,
    FaultInjector faults,
    Func<HttpContext, string?> routeKey,
    CallRecordingOptions options,
    ILogger logger,
    CancellationToken stopping)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (routeKey(context) is not { } route)
        {
            await next(context);
            return;
        }

        context.Response.Headers[options.RequestIdHeader] = Guid.NewGuid().ToString();
        var body = RecordsBody(context) ? await ReadBodyAsync(context.Request) : null;
        var entry = calls.Record(new RecordedCall(
            route,
            context.Request.Method,
            context.Request.PathBase.Add(context.Request.Path).ToString(),
            0,
            DateTimeOffset.UtcNow,
            Headers(context.Request),
            body));

        var status = 0;
        try
        {
            if (faults.TryDequeue(route, out var fault))
            {
                logger.LogInformation("Sandbox route {Route} applying fault {Fault}", route, fault.Describe());
                if (await FaultResponder.ApplyAsync(context, fault, stopping) is { } faulted)
                {
                    status = faulted;
                    return;
                }
            }

            await next(context);
            status = context.Response.StatusCode;
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            status = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            calls.Answered(entry, status);
            logger.LogDebug("Sandbox route {Route} {Method} {Path} answered {Status}", route, context.Request.Method, context.Request.Path, status);
        }
    }

    private bool RecordsBody(HttpContext context) =>
        options.RecordBody && context.GetEndpoint()?.Metadata.GetMetadata<SandboxRouteMetadata>() is not { RecordBody: false };

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return text;
    }

    private static Dictionary<string, string> Headers(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = values.ToString();
        }

        return headers;
    }
}

internal sealed record CallRecordingOptions(string RequestIdHeader, bool RecordBody);
