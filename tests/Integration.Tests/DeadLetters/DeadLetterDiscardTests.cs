using Integration.DeadLetters;
using Integration.Operations;
using Integration.Operations.DeadLetters;
using Integration.Operations.DeadLetters.Archive;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tests.DeadLetters;

/// <summary>Discard with an archive (issue 15, point 2): archived before it is completed, audited, restorable through the redrive path.</summary>
public sealed class DeadLetterDiscardTests(AzuriteFixture azurite) : DeadLetterTestBase(azurite)
{
    private DeadLetterDiscard Discard => App.Services.GetRequiredService<DeadLetterDiscard>();
    private DeadLetterArchive Archive => App.Services.GetRequiredService<DeadLetterArchive>();
    private ArchiveRestore Restore => App.Services.GetRequiredService<ArchiveRestore>();

    [Fact]
    public async Task Discard_archives_body_properties_reason_who_and_when_then_removes_the_dead_letter_and_is_audited()
    {
        var body = NewTaskBody();
        var test = await DeadLetterAsync("Rejected422", new Dictionary<string, object>(Failure(422, MissingTitle)) { [DeadLetterProperties.RedriveCount] = 1 }, body, "no title");
        var other = await DeadLetterAsync("RetriesExhausted", Failure(503));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var result = await Discard.RunAsync(new DiscardRequest(new() { Reasons = ["Rejected422"] }, DryRun: false, Actor, Note: "test message"), CancellationToken.None);

        Assert.Equal((2, 1, 1, 0, "completed"), (result.Received, result.Discarded, result.Skipped, result.Failed, result.Outcome));
        Assert.Equal([test], result.DiscardedMessageIds);
        Assert.Equal([other], (await DeadLettersAsync()).Select(m => m.MessageId));
        var archived = Assert.Single(await Archive.ListAsync(DeadLetterFilter.All, 10, CancellationToken.None).ToListAsync());
        Assert.Equal((test, body, "Rejected422", "no title"), (archived.MessageId, archived.Body.ToString(), archived.Reason, archived.Description));
        Assert.Equal((Actor, Clock.GetUtcNow(), "test message"), (archived.ArchivedBy, archived.ArchivedAt, archived.Note));
        Assert.Equal(1, archived.Properties[DeadLetterProperties.RedriveCount]);
        Assert.Equal(422, archived.Properties[P.HttpStatus]);
        Assert.Equal("Rejected422|422|value_error.missing", archived.Message.Fingerprint.Key);
        var audit = Assert.Single(await AuditAsync(DeadLetterDiscard.AuditOperation));
        Assert.Equal((Actor, false, "completed"), (audit.Actor, audit.DryRun, audit.Outcome));
        Assert.Contains("\"Discarded\":1", audit.Counts, StringComparison.Ordinal);
        Assert.Contains("\"Note\":\"test message\"", audit.Filters, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_archives_and_removes_nothing_and_max_stops_the_discard()
    {
        var ids = new[] { await DeadLetterAsync("RetriesExhausted", Failure(503)), await DeadLetterAsync("RetriesExhausted", Failure(503)) };

        var dryRun = await Discard.RunAsync(new DiscardRequest(DeadLetterFilter.All, DryRun: true, Actor), CancellationToken.None);
        var afterDryRun = (await DeadLettersAsync()).Count;
        var archivedAfterDryRun = await Archive.ListAsync(DeadLetterFilter.All, 10, CancellationToken.None).CountAsync();
        var one = await Discard.RunAsync(new DiscardRequest(DeadLetterFilter.All, DryRun: false, Actor, MaxMessages: 1), CancellationToken.None);

        Assert.Equal((2, true), (dryRun.Discarded, dryRun.DryRun));
        Assert.Equal((2, 0), (afterDryRun, archivedAfterDryRun));
        Assert.Equal((1, true), (one.Discarded, one.ReachedMaximum));
        Assert.Equal([ids[1]], (await DeadLettersAsync()).Select(m => m.MessageId));
        Assert.Equal([ids[0]], await Archive.ListAsync(DeadLetterFilter.All, 10, CancellationToken.None).Select(a => a.MessageId).ToListAsync());
    }

    [Fact]
    public async Task Restore_sends_archived_messages_back_through_the_redrive_path_with_its_loop_guard_and_empties_the_archive()
    {
        var body = NewTaskBody();
        var restorable = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle), body);
        var tooOften = await DeadLetterAsync("Rejected422", new Dictionary<string, object>(Failure(422, MissingTitle)) { [DeadLetterProperties.RedriveCount] = Operations.MaxRedrives });
        await Discard.RunAsync(new DiscardRequest(DeadLetterFilter.All, DryRun: false, Actor), CancellationToken.None);
        Assert.Empty(await DeadLettersAsync());

        var restore = Restore.RunAsync(new RedriveRequest(new() { Reasons = ["Rejected422"] }, DryRun: false, Actor, MessagesPerSecond: 1), null, CancellationToken.None);
        await Clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1)); // paced as a redrive: one wait after the one send
        var result = await restore.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1, 1), (result.Counts.Moved, result.Counts.LoopGuarded));
        Assert.Equal([restorable], result.MovedMessageIds);
        Assert.Equal([tooOften], result.LoopGuardedMessageIds);
        var copy = Assert.Single(await TaskQueueAsync());
        Assert.Equal((restorable, body), (copy.MessageId, copy.Body.ToString()));
        Assert.Equal((P.RedriveTrigger, 1), (copy.Properties[P.Trigger].ToString(), P.Count(copy.Properties, DeadLetterProperties.RedriveCount)));
        Assert.False(copy.Properties.ContainsKey(P.HttpStatus)); // the failure diagnostics are dropped, as on a redrive
        Assert.Equal([tooOften], await Archive.ListAsync(DeadLetterFilter.All, 10, CancellationToken.None).Select(a => a.MessageId).ToListAsync());
        var audit = Assert.Single(await AuditAsync(ArchiveRestore.AuditOperation));
        Assert.Contains("\"LoopGuarded\":1", audit.Counts, StringComparison.Ordinal);
    }

    private async Task<List<OpsAuditEntry>> AuditAsync(string operation) =>
        await App.Services.GetRequiredService<OpsAudit>().SinceAsync(Start, CancellationToken.None).Where(e => e.Operation == operation).ToListAsync();
}
