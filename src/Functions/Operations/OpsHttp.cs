using System.Net;
using Integration.Operations.Api;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>Hands an ops HTTP call to the core's <see cref="OpsApi"/> and writes its answer: the functions only bind routes.</summary>
internal static class OpsHttp
{
    public static async Task<HttpResponseData> RunAsync(OpsApi api, HttpRequestData request, string path, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in request.Query.AllKeys)
        {
            if (name is not null && request.Query[name] is { } value)
            {
                query[name] = value;
            }
        }

        var answer = await api.HandleAsync(
            new OpsApiRequest(request.Method, path, query, await ReadBodyAsync(request, cancellationToken), name => request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null),
            cancellationToken);
        var response = request.CreateResponse((HttpStatusCode)answer.Status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        response.Headers.Add("Cache-Control", "no-store");
        await response.WriteStringAsync(answer.Json, cancellationToken);
        return response;
    }

    // Reads one character past the limit, so that the API can refuse a longer body without holding all of it.
    private static async Task<string?> ReadBodyAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[OpsApiRequest.MaxBodyChars + 1];
        var read = 0;
        while (read < buffer.Length && await reader.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        return read == 0 ? null : new string(buffer, 0, read);
    }
}
