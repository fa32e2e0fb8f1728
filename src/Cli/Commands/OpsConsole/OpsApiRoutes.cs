using Integration.Operations.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.OpsConsole;

/// <summary>The ops JSON API under <c>/api/ops/</c> for the local console: every call handed to the core's <see cref="OpsApi"/> (its gates included).</summary>
internal static class OpsApiRoutes
{
    public static void Map(WebApplication web, IServiceProvider app)
    {
        var api = app.GetRequiredService<OpsApi>();
        web.Map("/api/ops/{**path}", async context =>
        {
            var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            string? body = null;
            if (context.Request.ContentLength is null or > 0)
            {
                using var reader = new StreamReader(context.Request.Body);
                var buffer = new char[OpsApiRequest.MaxBodyChars + 1];
                var read = 0;
                while (read < buffer.Length && await reader.ReadAsync(buffer.AsMemory(read), context.RequestAborted) is var n and > 0)
                {
                    read += n;
                }

                body = read == 0 ? null : new string(buffer, 0, read);
            }

            var path = (string?)context.GetRouteValue("path") ?? "";
            var headers = context.Request.Headers;
            var answer = await api.HandleAsync(new OpsApiRequest(context.Request.Method, path, query, body, name => headers.TryGetValue(name, out var v) ? v.ToString() : null), context.RequestAborted);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(answer.Json, context.RequestAborted);
        });
    }
}
