using Integration.DeadLetters;
using Integration.Local.Tasks;
using Integration.Operations.DeadLetters;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.DeadLetters;

/// <summary>
/// A redrive pass moves each dead-letter at most once (issue 15, point 6): the reported case was
/// <c>deadletters redrive --id ID</c> against a partner still answering 422, which sent the message three times in one
/// command (the copy was dead-lettered again while the pass ran, and the pass took it again until the loop guard).
/// </summary>
public sealed class RedriveOncePerPassTests(AzuriteFixture azurite) : DeadLetterTestBase(azurite)
{
    [Fact]
    public async Task A_copy_dead_lettered_again_during_the_pass_is_left_for_the_next_command()
    {
        var messageId = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        var failingAgain = new DeadLetteringAgainSender(App.Services.GetRequiredService<ITaskQueueSender>(), Queue, Failure(422, MissingTitle));
        var redrive = ActivatorUtilities.CreateInstance<DeadLetterRedrive>(App.Services, (ITaskQueueSender)failingAgain);
        var request = new RedriveRequest(new() { MessageIds = [messageId] }, DryRun: false, Actor);

        var first = await RedriveAsync(request, redrive);

        Assert.Equal(1, failingAgain.Sent); // once, not until the loop guard stops it
        Assert.Equal(new RedriveProgress(Received: 2, Matched: 1, Moved: 1, Skipped: 0, LoopGuarded: 0, Failed: 0, LeftForNextPass: 1), first.Counts);
        Assert.Equal("completed", first.Outcome);
        var dead = Assert.Single(await DeadLettersAsync());
        Assert.Equal((messageId, 1), (dead.MessageId, dead.RedriveCount));
        Assert.Equal(first.Pass!.Id, dead.Properties[DeadLetterProperties.RedrivePass]);

        var second = await RedriveAsync(request, redrive); // the next command takes it, once again

        Assert.Equal(2, failingAgain.Sent);
        Assert.Equal((1, 1), (second.Counts.Moved, second.Counts.LeftForNextPass));
        Assert.NotEqual(first.Pass.Id, second.Pass!.Id);
        Assert.Equal(2, Assert.Single(await DeadLettersAsync()).RedriveCount);
        var audit = (await RedriveAuditAsync()).Single(a => a.Filters.Contains(first.Pass.Id, StringComparison.Ordinal));
        Assert.Contains("\"CutOff\":", audit.Filters, StringComparison.Ordinal); // the cut-off is recorded
        Assert.Contains("\"LeftForNextPass\":1", audit.Counts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_dead_lettered_after_the_pass_started_waits_for_the_next_command()
    {
        var before = new[] { await DeadLetterAsync("RetriesExhausted", Failure(503)), await DeadLetterAsync("RetriesExhausted", Failure(503)) };
        string? during = null;
        var sender = new AfterSends(App.Services.GetRequiredService<ITaskQueueSender>(), 2, async () =>
        {
            foreach (var copy in await Queue.ReceiveAsync(2, TimeSpan.FromMinutes(1), CancellationToken.None))
            {
                await new LocalTaskSettlement(Queue, copy).CompleteAsync(CancellationToken.None); // the copies went through
            }

            // The second send came a pacing interval after the start: this one fails on its own, after the cut-off.
            during = await DeadLetterAsync("RetriesExhausted", Failure(503));
        });
        var redrive = ActivatorUtilities.CreateInstance<DeadLetterRedrive>(App.Services, (ITaskQueueSender)sender);

        var result = await RedriveAsync(new RedriveRequest(new() { Reasons = ["RetriesExhausted"] }, DryRun: false, Actor), redrive);

        Assert.Equal(before, result.MovedMessageIds);
        Assert.Equal(1, result.Counts.LeftForNextPass);
        Assert.Equal([during], (await DeadLettersAsync()).Select(m => m.MessageId));
        Assert.True(result.Pass!.CutOff < Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_later_slice_of_the_same_command_leaves_the_copies_of_the_earlier_slices()
    {
        var messageId = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));
        var failingAgain = new DeadLetteringAgainSender(App.Services.GetRequiredService<ITaskQueueSender>(), Queue, Failure(422, MissingTitle));
        var redrive = ActivatorUtilities.CreateInstance<DeadLetterRedrive>(App.Services, (ITaskQueueSender)failingAgain);
        var request = new RedriveRequest(new() { MessageIds = [messageId] }, DryRun: false, Actor);

        var first = await RedriveAsync(request, redrive);
        var slice = await RedriveAsync(request with { Pass = first.Pass }, redrive);

        Assert.Equal((1, 0, 1), (failingAgain.Sent, slice.Counts.Moved, slice.Counts.LeftForNextPass));
        Assert.Equal(first.Pass, slice.Pass);
    }

    /// <summary>Sends the copy, then dead-letters it again as the handler does when the partner still answers 422.</summary>
    private sealed class DeadLetteringAgainSender(ITaskQueueSender inner, LocalTaskQueue queue, IReadOnlyDictionary<string, object> failure) : ITaskQueueSender
    {
        public int Sent { get; private set; }

        public async Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
        {
            await inner.SendAsync(messageId, body, properties, cancellationToken);
            Sent++;
            var delivery = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(1), CancellationToken.None));
            Assert.Equal(messageId, delivery.Message.MessageId);
            await new LocalTaskSettlement(queue, delivery).DeadLetterAsync("Rejected422", "still rejected", failure, CancellationToken.None);
        }
    }

    /// <summary>Sends through <paramref name="inner"/>; after the <paramref name="count"/>th send, runs <paramref name="then"/>.</summary>
    private sealed class AfterSends(ITaskQueueSender inner, int count, Func<Task> then) : ITaskQueueSender
    {
        private int _sent;

        public async Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
        {
            await inner.SendAsync(messageId, body, properties, cancellationToken);
            if (++_sent == count)
            {
                await then();
            }
        }
    }
}
