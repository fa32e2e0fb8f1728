namespace Integration.Cli.Commands;

/// <summary>
/// Where a command's settings come from besides environment variables: the JSON file of the global
/// <c>--settings FILE</c> option and the <c>--Section:Key=value</c> overrides (which win). The overrides belong to the
/// configuration, not to the command line's grammar: they are handed to Microsoft.Extensions.Configuration's
/// command-line provider as they are, and every other word to System.CommandLine.
/// </summary>
internal sealed record CliSettings(string? File, IReadOnlyList<string> Overrides)
{
    /// <summary>A <c>--Section:Key=value</c> override (a colon in the name marks a setting, not an option).</summary>
    public static bool IsOverride(string word) =>
        word.StartsWith("--", StringComparison.Ordinal) && word.IndexOf(':', StringComparison.Ordinal) is var colon and > 2
        && (word.IndexOf('=', StringComparison.Ordinal) is var equals && (equals < 0 || colon < equals));
}
