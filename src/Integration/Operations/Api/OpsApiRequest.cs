namespace Integration.Operations.Api;

/// <summary>
/// One ops HTTP call as every host hands it over (the Functions worker in Azure, the local console's server):
/// <paramref name="Path"/> is relative to <c>ops/</c> (<c>deadletters/groups</c>, <c>tasks/{uid}/reset</c>),
/// <paramref name="Header"/> looks a request header up by name (case-insensitive), null when absent.
/// </summary>
public sealed record OpsApiRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? Body, Func<string, string?> Header)
{
    /// <summary>The longest body an ops call reads (a redrive command with 100 filter values fits many times).</summary>
    public const int MaxBodyChars = 64 * 1024;

    /// <summary>A query parameter, null when absent.</summary>
    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    /// <summary>A comma-separated query parameter as its values, null when absent.</summary>
    public string[]? QueryValues(string name) =>
        QueryValue(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The body as <typeparamref name="T"/>, or null when it is missing or not that JSON.</summary>
    public T? BodyAs<T>()
        where T : class
    {
        try
        {
            return Body is { Length: > 0 } json ? OpsJson.Deserialize<T>(json) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
