namespace Integration.Operations.Api;

/// <summary>Query parameters shared by several endpoints; a problem names the parameter.</summary>
internal static class OpsApiParameters
{
    /// <summary>The first problem of checks that all ran (each sets its own out value), or null.</summary>
    public static string? First(params string?[] problems) => problems.FirstOrDefault(p => p is not null);

    public static string? Flag(string name, string? text, out bool value)
    {
        value = false;
        return text is null || bool.TryParse(text, out value) ? null : $"{name}: '{(text.Length <= 20 ? text : text[..20] + "…")}' is neither true nor false";
    }
}
