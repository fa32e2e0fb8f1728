using Integration.Tests.Fixtures;
using Microsoft.Playwright;

namespace Integration.Tests.Operations.Console;

/// <summary>
/// Debian's chromium (installed by test.sh when missing) driven by Playwright, at a laptop's size (1366×768), with
/// screenshots saved under <c>TestResults/console/</c> at the repository root (CONSOLE_SCREENSHOTS elsewhere).
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    private static readonly string[] ChromiumPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        (_playwright, _browser, Page) = (playwright, browser, page);
    }

    public IPage Page { get; }

    public static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(RepositoryRoot.Path, "TestResults", "console");

    public static async Task<ConsoleBrowser> OpenAsync(Uri url)
    {
        var chromium = ChromiumPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Debian's chromium is not installed: ./test.sh installs it (apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 }, Locale = "en-GB", TimezoneId = "UTC" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync(url.ToString());
        return new ConsoleBrowser(playwright, browser, page);
    }

    /// <summary>Saves what the browser shows (the viewport, as an operator sees it) as <c>{name}.png</c>.</summary>
    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}.png") });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
