using System.Net;
using Integration.Operations.OpsConsole;
using Integration.Operations.Identity;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Integration.Functions.Operations;

/// <summary>
/// <c>GET ops/console</c>: the ops console page (<see cref="ConsolePage"/>), behind the same gates as the ops API (the
/// function key, then a principal with the read role); the page calls the ops functions beside it.
/// </summary>
public sealed class OpsConsoleFunction(OpsAuthorizer authorizer)
{
    [Function("OpsConsole")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "ops/console")] HttpRequestData request)
    {
        var decision = authorizer.Authorize(name => request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null, OpsAccess.Read, "OpsConsole");
        var (status, html, headers) = decision switch
        {
            OpsAuthorization.Allowed => Page(ConsolePage.Render()),
            OpsAuthorization.Refused refused => ((HttpStatusCode)refused.Status, ConsolePage.Refusal(refused.Reason), ConsolePage.RefusalHeaders),
            _ => throw new InvalidOperationException($"Unknown authorization {decision.GetType().Name}"),
        };
        var response = request.CreateResponse(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.Add(name, value);
        }

        await response.WriteStringAsync(html);
        return response;
    }

    private static (HttpStatusCode, string, IReadOnlyDictionary<string, string>) Page(ConsoleAnswer page) => (HttpStatusCode.OK, page.Html, page.Headers);
}
