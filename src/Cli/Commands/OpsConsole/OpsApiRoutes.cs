using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Integration.Cli.Commands.OpsConsole;

/// <summary>The ops JSON API under <c>/api/ops/</c> for the local console: every call handed to the core's ops API.</summary>
internal static class OpsApiRoutes
{
    public static void Map(WebApplication web, IServiceProvider app)
    {
        ArgumentNullException.ThrowIfNull(app);
        web.Map("/api/ops/{**path}", async context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new { error = "the ops API is not wired into the local console yet" }, context.RequestAborted);
        });
    }
}
