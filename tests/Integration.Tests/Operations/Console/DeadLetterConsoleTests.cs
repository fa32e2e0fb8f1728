using Integration.DeadLetters;
using Integration.Operations.DeadLetters.Archive;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Integration.Tests.Operations.Console;

/// <summary>The console's dead-letter and archive views in chromium, against <c>integration console</c>.</summary>
public sealed class DeadLetterConsoleTests(AzuriteFixture azurite) : ConsoleTestBase(azurite)
{
    private const string Rejected = """{"detail":[{"loc":["body","fields","site"],"msg":"unknown site","type":"value_error.site"}]}""";

    private DeadLetterInspector Inspector => App.Services.GetRequiredService<DeadLetterInspector>();

    [Fact]
    public async Task A_burst_of_422s_is_one_group_a_dry_run_moves_nothing_a_redrive_empties_it_and_a_discard_can_be_restored()
    {
        // Cleanup / Setup: Fragment refuses five tasks with the same 422; one message is not a task at all.
        Sandbox.Faults.Enqueue("tasks", Enumerable.Range(0, 5).Select(_ => Fault.WithStatus(422, body: Rejected)).ToArray());
        for (var i = 1; i <= 5; i++)
        {
            await Queue.SendAsync(BinaryData.FromString(TaskBody($"burst-{i}")));
        }

        var invalid = await Queue.SendAsync(BinaryData.FromString("""{"external_id":"ticket#x","fields":{"title":"t"},"version":1,"colour":"red"}"""));
        await UntilAsync(async () => (await DeadLettersAsync()).Count == 6, "six dead-letters");
        var burst = (await DeadLettersAsync()).Where(m => m.HttpStatus == 422).Select(m => m.Fingerprint.Key).Distinct().Single();
        await OpenConsoleAsync("deadletters");

        // The burst is one group of five.
        var group = Page.Locator("#dl-groups tbody tr", new() { HasText = "Rejected422" });
        await Expect(group).ToHaveCountAsync(1);
        await Expect(group.Locator("td.num")).ToHaveTextAsync("5");
        await Expect(Page.Locator("#dl-groups tbody tr")).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync("1-deadletter-groups");

        // Drill-down: the five messages with their partner answer and request id.
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Messages of {burst}" }).ClickAsync();
        await Expect(Page.Locator("#dl-message-list article")).ToHaveCountAsync(5);
        await Expect(Page.Locator("#dl-message-list article").First).ToContainTextAsync("unknown site");
        await Expect(Page.Locator("#dl-message-list article").First.Locator("dl")).ToContainTextAsync("Partner request id");
        await Expect(Page.Locator("#dl-message-list article").First.Locator("dl")).ToContainTextAsync("Attempts1");
        await Page.Locator("#dl-message-list article").First.ScrollIntoViewIfNeededAsync();
        await Browser.ScreenshotAsync("2-deadletter-messages");

        // A dry run shows the count in the confirmation; cancelling moves nothing.
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Redrive {burst}" }).ClickAsync();
        await Expect(Page.Locator("#confirm-text")).ToHaveTextAsync("Dry run: 5 message(s) would be sent back to the task queue.");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Redrive 5 message(s)" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync("3-redrive-confirmation");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.Locator("#confirm")).Not.ToBeVisibleAsync();
        Assert.Equal(6, (await DeadLettersAsync()).Count);

        // The redrive, by keyboard: rate 20/s, confirm; progress to the end; the group empties.
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Redrive {burst}" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByLabel("Rate (messages per second; empty: the app's default)")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("20");
        await Page.Keyboard.PressAsync("Tab");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Redrive 5 message(s)" })).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("#confirm-progress-text")).ToHaveTextAsync("Done: 5 sent back to the task queue.");
        await Expect(Page.Locator("#confirm-bar")).ToHaveAttributeAsync("value", "5");
        await Browser.ScreenshotAsync("4-redrive-done");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(group).ToHaveCountAsync(0);
        Assert.Equal([invalid], (await DeadLettersAsync()).Select(m => m.MessageId));

        // Discard the message that is not a task: archived with a note, then restored from the archive view.
        var invalidGroup = Page.Locator("#dl-groups tbody tr", new() { HasText = "InvalidMessage" });
        await invalidGroup.GetByRole(AriaRole.Button, new() { NameRegex = new("^Discard ") }).ClickAsync();
        await Expect(Page.Locator("#confirm-text")).ToContainTextAsync("Dry run: 1 message(s) would be archived and removed");
        await Page.GetByLabel("Why (kept with each archived message)").FillAsync("not a task: test message");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Discard 1 message(s)" }).ClickAsync();
        await Expect(Page.Locator("#confirm-progress-text")).ToHaveTextAsync("Done: 1 archived and removed.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(Page.Locator("#dl-empty")).ToBeVisibleAsync();
        Assert.Empty(await DeadLettersAsync());

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Archive" }).ClickAsync();
        var archived = Page.Locator("#ar-list tbody tr");
        await Expect(archived).ToHaveCountAsync(1);
        await Expect(archived).ToContainTextAsync("not a task: test message");
        await Browser.ScreenshotAsync("5-archive");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Restore {invalid}" }).ClickAsync();
        await Expect(Page.Locator("#confirm-text")).ToHaveTextAsync("Dry run: 1 archived message(s) would be sent back to the task queue.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Restore 1 message(s)" }).ClickAsync();
        await Expect(Page.Locator("#confirm-progress-text")).ToHaveTextAsync("Done: 1 sent back and removed from the archive.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(Page.Locator("#ar-empty")).ToBeVisibleAsync();
        Assert.Empty(await App.Services.GetRequiredService<DeadLetterArchive>().ListAsync(DeadLetterFilter.All, 10, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task Tabs_are_reached_with_the_arrow_keys_and_every_control_has_a_name()
    {
        await OpenConsoleAsync("deadletters");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Dead-letters" }).FocusAsync();
        await Page.Keyboard.PressAsync("ArrowRight");

        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Archive" })).ToBeFocusedAsync();
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Archive" })).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(Page.Locator("#view-archive")).ToBeVisibleAsync();
        var unnamed = await Page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('button, select, input')].filter(c => !c.closest('dialog:not([open])')).filter(c => {
              const labelled = c.labels && c.labels.length > 0;
              return !(c.getAttribute('aria-label') || labelled || (c.textContent || '').trim());
            }).map(c => c.outerHTML)
            """);
        Assert.Empty(unnamed);
    }

    private async Task<List<DeadLetteredMessage>> DeadLettersAsync() =>
        await Inspector.ListAsync(DeadLetterFilter.All, CancellationToken.None).ToListAsync();
}
