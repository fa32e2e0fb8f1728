using System.Text.RegularExpressions;

namespace Integration.Common;

/// <summary>
/// Makes text safe for a sink (log, exception, report, dead-letter property, request-log row, CLI/HTTP output):
/// <see cref="MaskSecrets"/> is the one masking function; <see cref="Redact"/> adds what keeping a partner body needs.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "***";
    private const int MaxLength = 2048;

    /// <summary>Shorter known values are not masked: they would mask ordinary words.</summary>
    public const int MinSecretLength = 8;

    /// <summary>
    /// Masks every known secret value (longest first), every JWT-shaped string and the credential after <c>Bearer</c>;
    /// leaves everything else as it was (a JSON body stays JSON), so it can be applied where a partner body is captured.
    /// </summary>
    public static string MaskSecrets(string? text, IEnumerable<string?> knownSecrets)
    {
        ArgumentNullException.ThrowIfNull(knownSecrets);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in knownSecrets.Where(s => s is { Length: >= MinSecretLength }).OrderByDescending(s => s!.Length))
        {
            text = text.Replace(secret!, Mask, StringComparison.Ordinal);
        }

        text = JwtShaped().Replace(text, Mask);
        return BearerCredential().Replace(text, m => $"{m.Groups["scheme"].Value}{Mask}");
    }

    /// <summary>
    /// For a partner body that is kept (report, dead-letter, request log, log line): <see cref="MaskSecrets"/>, then the
    /// string value of any JSON member whose name suggests a credential (token, secret, password, authorization, key),
    /// then caps the length.
    /// </summary>
    public static string Redact(string? text, params IEnumerable<string?> knownSecrets)
    {
        text = MaskSecrets(text, knownSecrets);
        text = SensitiveJsonMember().Replace(text, m => $"{m.Groups["name"].Value}\"{Mask}\"");
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "…(truncated)");
    }

    [GeneratedRegex(""""(?<name>"[^"]*(?:token|secret|password|authorization|key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"(?=[^"]|$)"""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SensitiveJsonMember();

    /// <summary>A JSON Web Token: a base64url JSON header (<c>eyJ…</c>), a payload and an optional signature.</summary>
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JwtShaped();

    /// <summary>An HTTP bearer credential as text: the scheme, white space, then token68 characters.</summary>
    [GeneratedRegex(@"(?<scheme>\bBearer\s+)[A-Za-z0-9\-._~+/]{4,}=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BearerCredential();
}
