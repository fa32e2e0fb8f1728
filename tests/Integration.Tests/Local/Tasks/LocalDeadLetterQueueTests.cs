using Integration.Local.Tasks;
using Integration.Tests.DeadLetters;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Local.Tasks;

/// <summary>The local stand-in's dead-letters: a listing beyond Storage Queues' 32-message peek, and one pass of locks.</summary>
public sealed class LocalDeadLetterQueueTests(AzuriteFixture azurite) : DeadLetterTestBase(azurite)
{
    [Fact]
    public async Task Listing_more_than_32_dead_letters_returns_each_once_oldest_first_and_leaves_them_in_place()
    {
        var sent = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            sent.Add(await DeadLetterAsync("RetriesExhausted", Failure(503)));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await DeadLettersAsync();
        var second = await DeadLettersAsync(); // every message visible again after the first listing

        Assert.Equal(sent, first.Select(m => m.MessageId));
        Assert.Equal(sent, second.Select(m => m.MessageId));
        Assert.Equal(Start, first[0].DeadLetteredAt);
        Assert.Equal(Start.AddSeconds(39), first[^1].DeadLetteredAt);
    }

    [Fact]
    public async Task One_pass_yields_each_dead_letter_once_and_shows_released_and_unsettled_ones_again_when_it_ends()
    {
        var released = await DeadLetterAsync("Rejected422");
        var completed = await DeadLetterAsync("Rejected422");
        var unsettled = await DeadLetterAsync("Rejected422");
        var yielded = new List<string>();
        List<string> visibleDuringPass = [];

        await foreach (var locked in DeadLetterQueue.ReceiveAsync(CancellationToken.None))
        {
            yielded.Add(locked.Message.MessageId);
            if (locked.Message.MessageId == released)
            {
                await locked.ReleaseAsync(CancellationToken.None);
                await Assert.ThrowsAsync<InvalidOperationException>(() => locked.CompleteAsync(CancellationToken.None));
            }
            else if (locked.Message.MessageId == completed)
            {
                await locked.CompleteAsync(CancellationToken.None);
                visibleDuringPass = [.. (await DeadLettersAsync()).Select(m => m.MessageId)];
            }
        }

        Assert.Equal([released, completed, unsettled], yielded);
        Assert.Equal([unsettled], visibleDuringPass); // not received yet; the released one stays hidden while the pass goes on
        Assert.Equivalent(new[] { released, unsettled }, (await DeadLettersAsync()).Select(m => m.MessageId), strict: true);
    }

    [Fact]
    public async Task Message_that_is_not_an_envelope_is_listed_as_it_is()
    {
        await DeadLetterQueue.PeekAsync(CancellationToken.None).ToListAsync(); // creates the queues
        await new Azure.Storage.Queues.QueueServiceClient(Azurite.ConnectionString)
            .GetQueueClient(Queue.DeadLetterQueueName)
            .SendMessageAsync("written by hand");

        var dead = Assert.Single(await DeadLettersAsync());

        Assert.Equal(LocalTaskQueue.InvalidEnvelope, dead.Reason);
        Assert.Equal("written by hand", dead.Body.ToString());
        Assert.Equal("InvalidEnvelope|-|-", dead.Fingerprint.Key);
    }
}
