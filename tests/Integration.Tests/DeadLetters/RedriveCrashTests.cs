using Integration.DeadLetters;
using Integration.Local.Tasks;
using Integration.Operations.DeadLetters;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.DeadLetters;

/// <summary>A crash between sending the copy and completing the dead-letter, with the local run's consumer and the real handler.</summary>
public sealed class RedriveCrashTests(AzuriteFixture azurite) : DeadLetterTestBase(azurite)
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly Guid Uid = Guid.Parse("c6951f29-e70d-04c9-3733-50f90b248db2"); // ticket#ID#123

    protected override void ConfigureServices(IServiceCollection services) => services.AddLocalTaskQueueConsumer();

    [Fact]
    public async Task Crash_between_send_and_complete_duplicates_the_copy_but_Fragment_applies_it_once()
    {
        Sandbox.Faults.Enqueue(TasksRoute, Fault.WithStatus(422, body: MissingTitle));
        var messageId = await Queue.SendAsync(BinaryData.FromString("""{"external_id":"ticket#ID#123","fields":{"title":"Fix the pump"},"version":1}"""));
        await Clock.AdvanceWhenWaitingAsync(OneSecond); // the consumer found the queue empty before the send
        await Clock.WaitForTimerAsync(OneSecond, count: 2); // dead-lettered: the consumer waits on an empty queue again
        var dead = Assert.Single(await DeadLettersAsync());
        Assert.Equal((messageId, "Rejected422|422|value_error.missing"), (dead.MessageId, dead.Fingerprint.Key));
        var request = new RedriveRequest(new() { Fingerprints = [dead.Fingerprint.Key] }, DryRun: false, Actor, MaxMessages: 1);

        var crashing = new CrashAfterSendTaskQueueSender(App.Services.GetRequiredService<ITaskQueueSender>());
        var crashed = await RedriveAsync(request, ActivatorUtilities.CreateInstance<DeadLetterRedrive>(App.Services, (ITaskQueueSender)crashing));
        var afterCrash = (Queued: await TaskQueueAsync(), Dead: await DeadLettersAsync());
        var rerun = await RedriveAsync(request);
        var copies = await TaskQueueAsync();
        var deadAfterRerun = await DeadLettersAsync();
        Clock.Advance(TimeSpan.FromMinutes(1)); // the consumer polls again, with the rate budget refilled
        await Clock.WaitForTimerAsync(OneSecond, count: 3); // both copies settled: it waits on an empty queue again

        Assert.Equal((1, 0, 1), (crashing.Sent, crashed.Counts.Moved, crashed.Counts.Failed));
        Assert.StartsWith("failed: ", crashed.Outcome, StringComparison.Ordinal);
        Assert.Equal([messageId], afterCrash.Queued.Select(m => m.MessageId)); // sent ...
        Assert.Equal([messageId], afterCrash.Dead.Select(m => m.MessageId)); // ... and still dead-lettered
        Assert.Equal(1, rerun.Counts.Moved);
        Assert.Equal([messageId, messageId], copies.Select(m => m.MessageId));
        Assert.Empty(deadAfterRerun);
        Assert.Equal(1, Sandbox.Tasks.PutCount); // one PUT in effect ...
        Assert.Equal("Fix the pump", Sandbox.Tasks.Get(Uid)?.Title);
        Assert.Contains(App.Logs.Lines, l => l.Message.StartsWith("Stale: task", StringComparison.Ordinal)); // ... the duplicate completed without a call
        Assert.Equal(2, Sandbox.Calls.Count(TasksRoute)); // the 422, then the redriven copy's 200
        Assert.Empty(await TaskQueueAsync());
        Assert.Empty(await DeadLettersAsync());
        Assert.Equivalent(new[] { crashed.Outcome, "completed" }, (await RedriveAuditAsync()).Select(a => a.Outcome), strict: true); // same fake instant: any order
    }
}
