using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Integration.DeadLetters;

namespace Integration.Operations.DeadLetters.Archive;

/// <summary>
/// The archive seen as a dead-letter queue, so that a restore goes through the redrive path (velocity, maximum, loop
/// guard, pass): completing an entry deletes its blob (only if unchanged since it was read), releasing leaves it. The
/// pass works on the blobs listed when it started.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It stands in for the dead-letter queue.")]
public sealed class ArchivedDeadLetterQueue(DeadLetterArchive archive) : IDeadLetterQueue
{
    public async IAsyncEnumerable<DeadLetteredMessage> PeekAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (entry, _) in archive.ReadAllAsync(cancellationToken))
        {
            yield return entry.Message;
        }
    }

    public async IAsyncEnumerable<ILockedDeadLetter> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (entry, etag) in archive.ReadAllAsync(cancellationToken))
        {
            yield return new Entry(archive, entry, etag);
        }
    }

    private sealed class Entry(DeadLetterArchive archive, ArchivedDeadLetter entry, Azure.ETag etag) : ILockedDeadLetter
    {
        public DeadLetteredMessage Message { get; } = entry.Message;

        public Task CompleteAsync(CancellationToken cancellationToken) => archive.DeleteAsync(entry.Blob, etag, cancellationToken);

        public Task ReleaseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
