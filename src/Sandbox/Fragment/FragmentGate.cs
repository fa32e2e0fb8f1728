using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Fragment;

/// <summary>
/// What every Fragment request passes before its handler, in this order: the rate limit (task routes only, 429), a
/// <c>User-Agent</c> (403), the current API token as <c>Authorization: Bearer</c> (401). Token values are never logged.
/// </summary>
internal sealed class FragmentGate(bool rateLimited) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(FragmentEndpoints.LogCategory);
        if (rateLimited && !services.GetRequiredService<FragmentRateLimit>().TryAdmit(out var retryAfter))
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            logger.LogInformation("Fragment {Method} {Path} rate limited; retry after {Seconds} s", http.Request.Method, http.Request.Path, seconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return FragmentErrors.Detail(StatusCodes.Status429TooManyRequests, "Rate limit exceeded");
        }

        if (string.IsNullOrWhiteSpace(http.Request.Headers.UserAgent))
        {
            logger.LogInformation("Fragment {Method} {Path} rejected: no User-Agent", http.Request.Method, http.Request.Path);
            return FragmentErrors.Detail(StatusCodes.Status403Forbidden, "User-Agent required");
        }

        if (!services.GetRequiredService<FragmentToken>().Accepts(Bearer(http.Request.Headers.Authorization.ToString())))
        {
            logger.LogInformation("Fragment {Method} {Path} rejected: bearer token missing or not current", http.Request.Method, http.Request.Path);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return FragmentErrors.Detail(StatusCodes.Status401Unauthorized, "Invalid token");
        }

        return await next(context);
    }

    private static string? Bearer(string authorization)
    {
        const string scheme = "Bearer ";
        return authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? authorization[scheme.Length..].Trim() : null;
    }
}
