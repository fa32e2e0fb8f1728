using System.Security.Cryptography;

namespace Integration.Operations.OpsConsole;

/// <summary>
/// The ops console: one HTML page with its style and script inlined (embedded <c>console.html</c>, <c>console.css</c>,
/// <c>console.js</c>), served by <c>GET ops/console</c> in Azure and by <c>integration console</c> locally. It calls the
/// ops JSON API beside it (<c>./deadletters/groups</c>, ...) and nothing else: the content security policy allows
/// scripts and styles only with this answer's nonce and connections only to its own origin.
/// </summary>
public static class ConsolePage
{
    private static readonly Lazy<(string Html, string Css, string Js)> Assets = new(() => (Read("console.html"), Read("console.css"), Read("console.js")));

    /// <summary>The page and the headers to send with it (a fresh nonce each time).</summary>
    public static ConsoleAnswer Render()
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var (html, css, js) = Assets.Value;
        var page = html
            .Replace("{{nonce}}", nonce, StringComparison.Ordinal)
            .Replace("{{style}}", css, StringComparison.Ordinal)
            .Replace("{{script}}", js, StringComparison.Ordinal);
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "text/html; charset=utf-8",
            ["Content-Security-Policy"] = $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ["X-Content-Type-Options"] = "nosniff",
            ["Referrer-Policy"] = "no-referrer",
            ["Cache-Control"] = "no-store",
        };
        return new ConsoleAnswer(page, headers);
    }

    /// <summary>Headers of <see cref="Refusal"/>: no script at all.</summary>
    public static IReadOnlyDictionary<string, string> RefusalHeaders { get; } = new Dictionary<string, string>
    {
        ["Content-Type"] = "text/html; charset=utf-8",
        ["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ["X-Content-Type-Options"] = "nosniff",
        ["Cache-Control"] = "no-store",
    };

    /// <summary>A page saying why the console is refused (401/403) and how to sign in (App Service Authentication).</summary>
    public static string Refusal(string reason) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ops console: not allowed</title></head>"
        + "<body style=\"font:16px system-ui,sans-serif;margin:40px;max-width:760px\"><h1>Ops console: not allowed</h1>"
        + $"<p>{System.Net.WebUtility.HtmlEncode(reason)}</p>"
        + "<p>Sign in with your organisation account at <a href=\"/.auth/login/aad?post_login_redirect_uri=/api/ops/console\">/.auth/login/aad</a>, "
        + "then open this page again with the function key (<code>?code=…</code>). You need the app role Ops.Read (Ops.Operate to act).</p></body></html>";

    private static string Read(string name)
    {
        using var stream = typeof(ConsolePage).Assembly.GetManifestResourceStream($"Integration.Console.{name}")
            ?? throw new InvalidOperationException($"The ops console asset {name} is not embedded in {typeof(ConsolePage).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>The console page and its headers.</summary>
public sealed record ConsoleAnswer(string Html, IReadOnlyDictionary<string, string> Headers);
