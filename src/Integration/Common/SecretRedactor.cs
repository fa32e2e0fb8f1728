using System.Text.RegularExpressions;

namespace Integration.Common;

/// <summary>Makes partner answers safe to log or report: no token, secret or password value survives.</summary>
public static partial class SecretRedactor
{
    public const string Mask = "***";
    private const int MaxLength = 2048;

    /// <summary>
    /// Masks every known secret value, and the string value of any JSON member whose name suggests a
    /// credential (token, secret, password, authorization, key), then caps the length.
    /// </summary>
    public static string Redact(string? text, params IEnumerable<string?> knownSecrets)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in knownSecrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        text = SensitiveJsonMember().Replace(text, m => $"{m.Groups["name"].Value}\"{Mask}\"");
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…(truncated)");
    }

    [GeneratedRegex(""""(?<name>"[^"]*(?:token|secret|password|authorization|key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"(?=[^"]|$)"""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveJsonMember();
}
