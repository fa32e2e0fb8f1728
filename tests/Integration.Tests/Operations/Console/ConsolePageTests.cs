using System.Text.RegularExpressions;
using Integration.Operations.OpsConsole;

namespace Integration.Tests.Operations.Console;

/// <summary>The console page as served: offline (nothing from another origin), scripts only with this answer's nonce.</summary>
public sealed partial class ConsolePageTests
{
    [Fact]
    public void The_page_inlines_its_style_and_script_under_a_fresh_nonce_and_loads_nothing_from_elsewhere()
    {
        var first = ConsolePage.Render();
        var second = ConsolePage.Render();

        var nonce = Nonce().Match(first.Headers["Content-Security-Policy"]).Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.NotEqual(first.Headers["Content-Security-Policy"], second.Headers["Content-Security-Policy"]);
        Assert.Contains($"<script nonce=\"{nonce}\">'use strict';", first.Html, StringComparison.Ordinal);
        Assert.Contains($"<style nonce=\"{nonce}\">:root", first.Html, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", first.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("{{", first.Html, StringComparison.Ordinal);
        Assert.DoesNotMatch(RemoteReference(), first.Html);
        Assert.Equal("text/html; charset=utf-8", first.Headers["Content-Type"]);
    }

    [Fact]
    public void The_refusal_page_encodes_the_reason_and_says_how_to_sign_in()
    {
        var page = ConsolePage.Refusal("<b>ops@example.com</b> lacks app role Ops.Read");

        Assert.Contains("&lt;b&gt;ops@example.com&lt;/b&gt;", page, StringComparison.Ordinal);
        Assert.Contains("/.auth/login/aad", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("script-src 'nonce-([^']+)'")]
    private static partial Regex Nonce();

    // src/href/url() pointing at another origin (http:, https:, protocol-relative); the SVG namespace is a name, not a load.
    [GeneratedRegex(@"(src|href)\s*=\s*[""'](https?:)?//|url\(\s*[""']?(https?:)?//|@import")]
    private static partial Regex RemoteReference();
}
