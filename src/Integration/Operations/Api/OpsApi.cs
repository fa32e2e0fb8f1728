using Integration.Operations.Identity;
using Microsoft.Extensions.Logging;

namespace Integration.Operations.Api;

/// <summary>
/// The ops JSON API, host-agnostic: the Functions answer <c>ops/*</c> through it in Azure, the local console's server
/// does the same on loopback, so both parse, bound, authorize and answer every call the same way. Order of checks:
/// route (404/405), forgery guard on state-changing calls (415/403), identity and role (<see cref="OpsAuthorizer"/>,
/// 401/403), then the endpoint's own validation (400 naming the parameter).
/// </summary>
public sealed class OpsApi(IEnumerable<IOpsEndpoints> endpoints, OpsAuthorizer authorizer, ILogger<OpsApi> logger)
{
    /// <summary>Most an ops call works before answering: Azure's front end gives up on an HTTP call at 230 s.</summary>
    public static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(180);

    private readonly IReadOnlyList<OpsRoute> _routes = [.. endpoints.SelectMany(e => e.Routes)];

    /// <summary>Every route served, for hosts that map them one by one and for tests.</summary>
    public IReadOnlyList<OpsRoute> Routes => _routes;

    /// <summary>A call that came over HTTP: every gate applies.</summary>
    public Task<OpsApiAnswer> HandleAsync(OpsApiRequest request, CancellationToken cancellationToken) => HandleAsync(request, trustedActor: null, cancellationToken);

    /// <summary>
    /// A call from this process (the CLI on the app's own storage and settings: whoever runs it holds the app's
    /// credentials already): no HTTP identity or forgery gate, <paramref name="actor"/> is audited; the rest the same.
    /// </summary>
    public Task<OpsApiAnswer> HandleInProcessAsync(OpsApiRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        return HandleAsync(request, actor, cancellationToken);
    }

    private async Task<OpsApiAnswer> HandleAsync(OpsApiRequest request, string? trustedActor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Trim('/').Split('/');
        var matches = _routes.Select(r => (Route: r, Values: r.Match(path))).Where(m => m.Values is not null).ToList();
        if (matches.Count == 0)
        {
            return OpsApiAnswer.Error(404, $"no ops endpoint at ops/{Shorten(request.Path.Trim('/'))}");
        }

        var (route, values) = matches.FirstOrDefault(m => string.Equals(m.Route.Method, request.Method, StringComparison.OrdinalIgnoreCase));
        if (route is null)
        {
            return OpsApiAnswer.Error(405, $"ops/{matches[0].Route.Template} answers {string.Join(", ", matches.Select(m => m.Route.Method.ToUpperInvariant()))}");
        }

        if (request.Body is { Length: > OpsApiRequest.MaxBodyChars })
        {
            return OpsApiAnswer.Error(413, $"body: longer than {OpsApiRequest.MaxBodyChars} characters");
        }

        if (trustedActor is not null)
        {
            return await route.Handle(new OpsCall(request, trustedActor, values!), cancellationToken);
        }

        if (!string.Equals(route.Method, "get", StringComparison.OrdinalIgnoreCase) && ForgeryProblem(request) is { } forgery)
        {
            logger.LogWarning("Ops call {Operation} refused: {Problem}", route.Operation, forgery.Problem);
            return OpsApiAnswer.Error(forgery.Status, forgery.Problem);
        }

        return authorizer.Authorize(request.Header, route.Access, route.Operation) switch
        {
            OpsAuthorization.Allowed allowed => await route.Handle(new OpsCall(request, allowed.Actor, values!), cancellationToken),
            OpsAuthorization.Refused refused => OpsApiAnswer.Error(refused.Status, refused.Reason),
            var other => throw new InvalidOperationException($"Unknown authorization {other.GetType().Name}"),
        };
    }

    /// <summary>
    /// Why a state-changing call may come from another site's page, or null. A cross-site form or image can send
    /// neither a JSON content type (without a CORS preflight, which nothing here allows) nor a mismatched Origin that
    /// passes; browsers mark such requests with <c>Sec-Fetch-Site</c> too.
    /// </summary>
    public static (int Status, string Problem)? ForgeryProblem(OpsApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = request.Header("Content-Type") ?? "";
        if (!contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (415, "Content-Type: a state-changing ops call takes application/json");
        }

        if (request.Header("Sec-Fetch-Site") is { } site && site is not ("same-origin" or "none"))
        {
            return (403, $"Sec-Fetch-Site: {Shorten(site)}; state-changing ops calls come from the console's own page or a non-browser client");
        }

        if (request.Header("Origin") is { } origin
            && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Header("Host"), StringComparison.OrdinalIgnoreCase)))
        {
            return (403, $"Origin: {Shorten(origin)} is not this app");
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
