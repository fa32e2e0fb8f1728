using System.Net;
using Integration.Operations;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>JSON in and out for the ops functions, in the shape the CLI prints (<see cref="OpsJson"/>).</summary>
internal static class OpsHttp
{
    /// <summary>Most an ops call works before answering: the front end gives up on an HTTP call at 230 s.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(180);

    /// <summary>
    /// Who called, from the principal App Service Authentication validated (never from a header alone), and whether it
    /// may do <paramref name="access"/>: the actor to audit, or the 401/403 answer to return.
    /// </summary>
    public static async Task<(string Actor, HttpResponseData? Refusal)> AuthorizeAsync(
        HttpRequestData request, OpsAuthorizer authorizer, OpsAccess access, string operation) =>
        authorizer.Authorize(name => request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null, access, operation) switch
        {
            OpsAuthorization.Allowed allowed => (allowed.Actor, null),
            OpsAuthorization.Refused refused => ("", await JsonAsync(request, new { error = refused.Reason }, (HttpStatusCode)refused.Status)),
            var other => throw new InvalidOperationException($"Unknown authorization {other.GetType().Name}"),
        };

    public static async Task<HttpResponseData> JsonAsync<T>(HttpRequestData request, T value, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(OpsJson.Serialize(value));
        return response;
    }

    public static Task<HttpResponseData> BadRequestAsync(HttpRequestData request, string problem) =>
        JsonAsync(request, new { error = problem }, HttpStatusCode.BadRequest);

    /// <summary>The body as <typeparamref name="T"/>, or null when it is missing or not that JSON.</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequestData request)
        where T : class
    {
        try
        {
            return OpsJson.Deserialize<T>(await request.ReadAsStringAsync() ?? "");
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
