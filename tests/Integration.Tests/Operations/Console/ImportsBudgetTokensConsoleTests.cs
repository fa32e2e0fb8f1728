using System.Text;
using Azure.Storage.Blobs;
using Integration.Imports;
using Integration.Operations;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Integration.Tests.Operations.Console;

/// <summary>The console's import, Fragment budget and token views in chromium, against <c>integration console</c>.</summary>
public sealed class ImportsBudgetTokensConsoleTests(AzuriteFixture azurite) : ConsoleTestBase(azurite)
{
    [Fact]
    public async Task A_held_import_shows_what_to_check_and_its_resolve_actions_and_arrived_settles_it()
    {
        // A file whose answer never came back (held), and an empty one (rejected).
        var drops = new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Settings["Imports:Container"]);
        await drops.CreateIfNotExistsAsync();
        var held = drops.GetBlobClient("42/sites/held.csv");
        await held.UploadAsync(BinaryData.FromString("site_id,name\n" + string.Join('\n', Enumerable.Range(1, 6).Select(i => $"S{i},Site {i}")) + "\n"));
        var empty = drops.GetBlobClient("42/sites/empty.csv");
        await empty.UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes("")));
        var handler = App.Services.GetRequiredService<ImportHandler>();
        await handler.HandleAsync(empty, CancellationToken.None);
        Sandbox.Faults.Enqueue("import", new Fault { Hang = true });
        var running = handler.HandleAsync(held, CancellationToken.None);
        await App.Logs.WaitForAsync(l => l.Properties.ContainsKey("BodySentAt"));
        await App.Clock.AdvanceWhenWaitingAsync(new ImportsOptions().AttemptTimeout);
        Assert.Equal(ImportStatus.Unknown, (await running).Status);
        await OpenConsoleAsync("imports");

        var heldGroup = Page.GetByRole(AriaRole.Region, new() { Name = "Held: outcome unknown (an answer was lost)" });
        await Expect(heldGroup).ToContainTextAsync("42/sites/held.csv");
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Rejected (never sent)" })).ToContainTextAsync("42/sites/empty.csv");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Report of 42/sites/held.csv" }).ClickAsync();
        var check = Page.GetByRole(AriaRole.Note, new() { Name = "What to check in Dragonfruit" });
        await Expect(check).ToContainTextAsync("6 rows (data rows 1 to 6 of the file)");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "It arrived: go on" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "It did not arrive: send it again" })).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "It did not arrive: send it again" }).ScrollIntoViewIfNeededAsync();
        await Browser.ScreenshotAsync("6-imports-held");

        await Page.GetByRole(AriaRole.Button, new() { Name = "It arrived: go on" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Resolve: it arrived" }).ClickAsync();
        await Expect(Page.Locator("#confirm-progress-text")).ToHaveTextAsync("Done: the import is now succeeded.");
        Assert.Equal(1, Sandbox.Calls.Count("import")); // nothing sent again
    }

    [Fact]
    public async Task The_budget_chart_shows_the_requests_of_the_test_with_429s_and_5xx_and_the_token_view_shows_expiry_refresh_and_failure()
    {
        // Fragment: a 429, a 503, then accepted; two tasks refused (422). Tokens: one refresh, then a refused one.
        var refreshed = await App.Refresher.RefreshIfDueAsync(CancellationToken.None);
        Sandbox.Faults.Enqueue("tokens", Fault.WithStatus(400, body: """{"success":false,"message":"invalid refresh token"}"""));
        await App.Refresher.ForceRefreshAsync(Sandbox.Secrets.GetValue("dragonfruit-id-token")!, CancellationToken.None);
        Sandbox.Faults.Enqueue("tasks", Fault.WithStatus(429, TimeSpan.FromSeconds(1)), Fault.WithStatus(503));
        await Queue.SendAsync(BinaryData.FromString(TaskBody("budget-1")));
        await UntilAsync(() => Task.FromResult(Sandbox.Tasks.PutCount == 1), "the first task accepted");
        Sandbox.Faults.Enqueue("tasks", Fault.WithStatus(422, body: """{"detail":"no"}"""), Fault.WithStatus(422, body: """{"detail":"no"}"""));
        await Queue.SendAsync(BinaryData.FromString(TaskBody("budget-2")));
        await Queue.SendAsync(BinaryData.FromString(TaskBody("budget-3")));
        var log = App.Services.GetRequiredService<RequestLogQuery>();
        var start = App.Clock.GetUtcNow().AddMinutes(-5);
        await UntilAsync(async () => (await log.PageAsync(start, null, null, "422", 100, null, CancellationToken.None)).Items.Count == 2, "two 422s logged");
        var made = (await log.PageAsync(start, null, null, null, 100, null, CancellationToken.None)).Items;
        await OpenConsoleAsync("budget");

        await Expect(Page.Locator("#bu-summary")).ToContainTextAsync($"{made.Count} request(s) in the last hour");
        var bars = Page.Locator("#bu-chart g.minute");
        await Expect(bars.First).ToBeAttachedAsync();
        var counted = await Page.EvaluateAsync<int[]>("""
            ['requests', 'throttled', 'serverErrors'].map(k => [...document.querySelectorAll('#bu-chart g.minute')].reduce((n, g) => n + Number(g.dataset[k]), 0))
            """);
        Assert.Equal([made.Count, made.Count(r => r.Status == 429), made.Count(r => r.Status >= 500)], counted);
        Assert.True(counted[1] >= 1 && counted[2] >= 1, $"a 429 and a 5xx were made: {string.Join(',', made.Select(r => r.Status))}");
        await Expect(Page.Locator("#bu-chart")).ToContainTextAsync("budget 60/min");
        await Expect(Page.Locator("#bu-backlog")).ToContainTextAsync("Task backlog: 0 message(s) in the task queue, 2 dead-lettered"); // the two 422s
        await Browser.ScreenshotAsync("7-fragment-budget");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Tokens" }).ClickAsync();
        var facts = Page.Locator("#tk-status");
        await Expect(facts).ToContainTextAsync("dragonfruit-id-token");
        await Expect(facts).ToContainTextAsync(Assert.IsType<Integration.Tokens.TokenRefreshOutcome.Refreshed>(refreshed).ExpiresOn.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(facts).ToContainTextAsync("HTTP 400");
        await Expect(facts).Not.ToContainTextAsync("none recorded");
        await Browser.ScreenshotAsync("8-tokens");
        var shown = await Page.ContentAsync();
        foreach (var secret in new[] { Sandbox.Secrets.GetValue("dragonfruit-id-token")!, Sandbox.Secrets.GetValue("dragonfruit-access-token")!, Sandbox.CurrentRefreshToken, new SandboxOptions().FragmentApiToken })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        }
    }
}
