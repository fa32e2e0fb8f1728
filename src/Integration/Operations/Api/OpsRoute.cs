using Integration.Operations.Identity;

namespace Integration.Operations.Api;

/// <summary>
/// One ops endpoint: <paramref name="Template"/> is a path relative to <c>ops/</c> whose <c>{name}</c> segments are
/// route values; <paramref name="Operation"/> names it in logs and refusals (the Functions name it as well).
/// </summary>
public sealed record OpsRoute(string Method, string Template, OpsAccess Access, string Operation, Func<OpsCall, CancellationToken, Task<OpsApiAnswer>> Handle)
{
    private readonly string[] _segments = Template.Split('/');

    /// <summary>The route values when <paramref name="path"/> fits the template, else null.</summary>
    public IReadOnlyDictionary<string, string>? Match(string[] path)
    {
        if (path.Length != _segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < path.Length; i++)
        {
            if (_segments[i] is ['{', .. var name, '}'])
            {
                values[name] = path[i];
            }
            else if (!string.Equals(_segments[i], path[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return values;
    }
}

/// <summary>An authorized call on its way to a route's handler: who is calling, and the route values.</summary>
public sealed record OpsCall(OpsApiRequest Request, string Actor, IReadOnlyDictionary<string, string> RouteValues);

/// <summary>A feature's ops endpoints; <see cref="OpsApi"/> serves every registered one.</summary>
public interface IOpsEndpoints
{
    IEnumerable<OpsRoute> Routes { get; }
}
