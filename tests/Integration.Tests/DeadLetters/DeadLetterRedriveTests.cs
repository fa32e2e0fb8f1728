using Integration.DeadLetters;
using Integration.Operations;
using Integration.Operations.DeadLetters;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tests.DeadLetters;

public sealed class DeadLetterRedriveTests(AzuriteFixture azurite) : DeadLetterTestBase(azurite)
{
    private const string Missing = "Rejected422|422|value_error.missing";
    private static readonly TimeSpan TwoSeconds = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Dry_run_counts_what_would_move_moves_nothing_and_is_audited()
    {
        var matching = new[]
        {
            await DeadLetterAsync("Rejected422", Failure(422, MissingTitle)),
            await DeadLetterAsync("Rejected422", Failure(422, MissingTitle)),
        };
        var other = await DeadLetterAsync("RetriesExhausted", Failure(503));
        var guarded = await DeadLetterAsync("Rejected422", new Dictionary<string, object>(Failure(422, MissingTitle)) { [DeadLetterProperties.RedriveCount] = Operations.MaxRedrives });

        var result = await Redrive.RunAsync(new RedriveRequest(new() { Reasons = ["Rejected422"] }, DryRun: true, Actor), null, CancellationToken.None);

        Assert.Equal(new RedriveProgress(Received: 4, Matched: 3, Moved: 2, Skipped: 1, LoopGuarded: 1, Failed: 0), result.Counts);
        Assert.True(result.DryRun);
        Assert.Equal(matching, result.MovedMessageIds);
        Assert.Equal([guarded], result.LoopGuardedMessageIds);
        Assert.Equivalent(new[] { matching[0], matching[1], other, guarded }, (await DeadLettersAsync()).Select(m => m.MessageId), strict: true);
        Assert.Empty(await TaskQueueAsync());
        Assert.Equal(Start, Clock.GetUtcNow()); // nothing was sent, so nothing was paced
        var audit = Assert.Single(await RedriveAuditAsync());
        Assert.Equal((Actor, true, "completed"), (audit.Actor, audit.DryRun, audit.Outcome));
        Assert.Contains("\"Moved\":2", audit.Counts, StringComparison.Ordinal);
        Assert.Contains("\"LoopGuarded\":1", audit.Counts, StringComparison.Ordinal);
        Assert.Contains("\"Reasons\":[\"Rejected422\"]", audit.Filters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redriven_copy_keeps_id_and_body_drops_the_failure_diagnostics_and_counts_the_redrive()
    {
        var body = NewTaskBody();
        var properties = new Dictionary<string, object>(Failure(422, MissingTitle, attempt: 2))
        {
            ["Source"] = "crm",
            [DeadLetterProperties.RedriveCount] = 1,
            [DeadLetterProperties.Reason] = "Rejected422", // where Service Bus keeps the reason
        };
        var messageId = await DeadLetterAsync("Rejected422", properties, body);

        var result = await RedriveAsync(new RedriveRequest(new() { Fingerprints = [Missing] }, DryRun: false, Actor));

        Assert.Equal(new RedriveProgress(1, 1, 1, 0, 0, 0), result.Counts);
        Assert.Equal([messageId], result.MovedMessageIds);
        var copy = Assert.Single(await TaskQueueAsync());
        Assert.Equal(messageId, copy.MessageId);
        Assert.Equal(body, copy.Body.ToString());
        Assert.Equal(
            new Dictionary<string, object>
            {
                [P.TaskUid] = "c6951f29-e70d-04c9-3733-50f90b248db2",
                [DeadLetterProperties.RedrivePass] = result.Pass!.Id,
                ["Source"] = "crm",
                [P.Trigger] = "redrive",
                [DeadLetterProperties.RedriveCount] = 2,
            }.OrderBy(p => p.Key),
            copy.Properties.OrderBy(p => p.Key));
        Assert.Empty(await DeadLettersAsync());
        var audit = Assert.Single(await RedriveAuditAsync());
        Assert.Equal((false, "completed"), (audit.DryRun, audit.Outcome));
        Assert.Contains("\"Moved\":1", audit.Counts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_by_fingerprint_and_time_window_move_only_what_they_take()
    {
        var before = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        Clock.Advance(TimeSpan.FromHours(1));
        var inside = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        var otherCause = await DeadLetterAsync("Rejected422", Failure(422, """{"code":"due_at_invalid"}"""));
        Clock.Advance(TimeSpan.FromHours(1));
        var after = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        var filter = new DeadLetterFilter { Fingerprints = [Missing], From = Start.AddMinutes(30), To = Start.AddHours(2) };

        var result = await RedriveAsync(new RedriveRequest(filter, DryRun: false, Actor));

        Assert.Equal(new RedriveProgress(Received: 4, Matched: 1, Moved: 1, Skipped: 3, LoopGuarded: 0, Failed: 0), result.Counts);
        Assert.Equal([inside], (await TaskQueueAsync()).Select(m => m.MessageId));
        Assert.Equal([before, otherCause, after], (await DeadLettersAsync()).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Velocity_cap_spaces_the_sends_by_the_interval_on_the_fake_clock()
    {
        for (var i = 0; i < 5; i++)
        {
            await DeadLetterAsync("RetriesExhausted", Failure(503));
        }

        var sender = new TimedTaskQueueSender(App.Services.GetRequiredService<ITaskQueueSender>(), Clock);
        var redrive = ActivatorUtilities.CreateInstance<DeadLetterRedrive>(App.Services, (ITaskQueueSender)sender);
        var start = Clock.GetUtcNow();

        var run = redrive.RunAsync(new RedriveRequest(DeadLetterFilter.All, DryRun: false, Actor, MessagesPerSecond: 0.5), null, CancellationToken.None);
        await Clock.WaitForTimerAsync(TwoSeconds);
        var sentBeforeTheClockMoved = sender.SentAt.Count;
        for (var wait = 1; wait <= 5; wait++) // after each send, the last one waits for a turn it finds no message for
        {
            await Clock.AdvanceWhenWaitingAsync(TwoSeconds, wait);
        }

        var result = await run;

        Assert.Equal(1, sentBeforeTheClockMoved);
        Assert.Equal(5, result.Counts.Moved);
        Assert.Equal([0, 2, 4, 6, 8], sender.SentAt.Select(at => (at - start).TotalSeconds));
        Assert.All(sender.SentAt.Zip(sender.SentAt.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TwoSeconds));
        Assert.Equal(5, (await TaskQueueAsync()).Count);
        Assert.Empty(await DeadLettersAsync());
    }

    [Fact]
    public async Task The_audit_row_is_written_as_a_redrive_starts_so_a_run_that_dies_still_shows_and_completed_at_its_end()
    {
        await DeadLetterAsync("RetriesExhausted", Failure(503));
        await DeadLetterAsync("RetriesExhausted", Failure(503));

        var run = Redrive.RunAsync(new RedriveRequest(DeadLetterFilter.All, DryRun: false, Actor, MessagesPerSecond: 0.5), null, CancellationToken.None);
        await Clock.WaitForTimerAsync(TwoSeconds); // one message sent, the next waits for its turn
        var during = Assert.Single(await RedriveAuditAsync());
        for (var wait = 1; wait <= 2; wait++)
        {
            await Clock.AdvanceWhenWaitingAsync(TwoSeconds, wait);
        }

        await run;

        Assert.Equal(OpsAudit.Started, during.Outcome);
        Assert.Contains("\"MessagesPerSecond\":0.5", during.Filters, StringComparison.Ordinal);
        var after = Assert.Single(await RedriveAuditAsync());
        Assert.Equal((during.RowKey, "completed"), (after.RowKey, after.Outcome));
        Assert.Contains("\"Moved\":2", after.Counts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_messages_stops_the_run_and_leaves_the_rest_dead_lettered()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await DeadLetterAsync("RetriesExhausted", Failure(503)));
        }

        var result = await RedriveAsync(new RedriveRequest(DeadLetterFilter.All, DryRun: false, Actor, MaxMessages: 2));

        Assert.True(result.ReachedMaximum);
        Assert.Equal((2, 2), (result.Counts.Received, result.Counts.Moved));
        Assert.Equal(ids[..2], (await TaskQueueAsync()).Select(m => m.MessageId));
        Assert.Equal(ids[2..], (await DeadLettersAsync()).Select(m => m.MessageId));
        Assert.Equal(Start + TwoSeconds, Clock.GetUtcNow()); // one wait between the two sends, none after the last
    }

    [Fact]
    public async Task Loop_guard_keeps_a_message_redriven_too_often_where_it_is_and_reports_it()
    {
        var max = Operations.MaxRedrives;
        var tooOften = await DeadLetterAsync("RetriesExhausted", new Dictionary<string, object>(Failure(503)) { [DeadLetterProperties.RedriveCount] = max });
        var lastChance = await DeadLetterAsync("RetriesExhausted", new Dictionary<string, object>(Failure(503)) { [DeadLetterProperties.RedriveCount] = max - 1 });

        var result = await RedriveAsync(new RedriveRequest(DeadLetterFilter.All, DryRun: false, Actor));

        Assert.Equal(new RedriveProgress(Received: 2, Matched: 2, Moved: 1, Skipped: 0, LoopGuarded: 1, Failed: 0), result.Counts);
        Assert.Equal([tooOften], result.LoopGuardedMessageIds);
        Assert.Equal([tooOften], (await DeadLettersAsync()).Select(m => m.MessageId));
        var copy = Assert.Single(await TaskQueueAsync());
        Assert.Equal((lastChance, max), (copy.MessageId, P.Count(copy.Properties, DeadLetterProperties.RedriveCount)));
        var warning = Assert.Single(App.Logs.Lines, l => l.Level == LogLevel.Warning && l.Category.EndsWith(nameof(DeadLetterRedrive), StringComparison.Ordinal));
        Assert.Equal(tooOften, warning.Property<string>("MessageId"));
    }

    [Fact]
    public async Task Cancelling_mid_run_stops_between_messages_and_leaves_the_rest_dead_lettered_and_visible()
    {
        var other = await DeadLetterAsync("RetriesExhausted", Failure(503));
        var rejected = new[]
        {
            await DeadLetterAsync("Rejected422", Failure(422, MissingTitle)),
            await DeadLetterAsync("Rejected422", Failure(422, MissingTitle)),
            await DeadLetterAsync("Rejected422", Failure(422, MissingTitle)),
        };
        using var cancel = new CancellationTokenSource();
        var reports = new List<RedriveProgress>();
        var progress = new InlineProgress<RedriveProgress>(p =>
        {
            reports.Add(p);
            if (p.Moved == 1)
            {
                cancel.Cancel(); // the operator cancels while the job waits for its next turn
            }
        });

        var result = await Redrive.RunAsync(new RedriveRequest(new() { Reasons = ["Rejected422"] }, DryRun: false, Actor), progress, cancel.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(new RedriveProgress(Received: 2, Matched: 1, Moved: 1, Skipped: 1, LoopGuarded: 0, Failed: 0), result.Counts);
        Assert.Equal([new RedriveProgress(1, 0, 0, 1, 0, 0), new RedriveProgress(2, 1, 1, 1, 0, 0)], reports);
        Assert.Equal([rejected[0]], (await TaskQueueAsync()).Select(m => m.MessageId));
        Assert.Equivalent(new[] { other, rejected[1], rejected[2] }, (await DeadLettersAsync()).Select(m => m.MessageId), strict: true); // the skipped one is visible again
        Assert.Equal("cancelled", Assert.Single(await RedriveAuditAsync()).Outcome);
    }

    [Fact]
    public async Task A_dead_letter_queue_failing_mid_run_ends_it_as_failed_audited_and_leaves_the_rest_visible()
    {
        var first = await DeadLetterAsync("RetriesExhausted", Failure(503));
        var second = await DeadLetterAsync("RetriesExhausted", Failure(503));
        var failing = new FailingDeadLetterQueue(DeadLetterQueue);

        var result = await RedriveAsync(
            new RedriveRequest(DeadLetterFilter.All, DryRun: false, Actor),
            ActivatorUtilities.CreateInstance<DeadLetterRedrive>(App.Services, (IDeadLetterQueue)failing));

        Assert.Equal("failed: The dead-letter queue went away.", result.Outcome);
        Assert.Equal([first], result.MovedMessageIds);
        Assert.Equal([first], (await TaskQueueAsync()).Select(m => m.MessageId));
        Assert.Equal([second], (await DeadLettersAsync()).Select(m => m.MessageId));
        Assert.Equal(result.Outcome, Assert.Single(await RedriveAuditAsync()).Outcome);
    }
}
