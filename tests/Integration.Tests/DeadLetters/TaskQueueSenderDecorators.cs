using System.Collections.Concurrent;
using Integration.DeadLetters;

namespace Integration.Tests.DeadLetters;

/// <summary>Sends through <paramref name="inner"/>, noting the (fake) time of each send.</summary>
public sealed class TimedTaskQueueSender(ITaskQueueSender inner, TimeProvider time) : ITaskQueueSender
{
    private readonly ConcurrentQueue<DateTimeOffset> _sentAt = new();

    public IReadOnlyList<DateTimeOffset> SentAt => [.. _sentAt];

    public async Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        _sentAt.Enqueue(time.GetUtcNow());
        await inner.SendAsync(messageId, body, properties, cancellationToken);
    }
}

/// <summary>Sends through <paramref name="inner"/>, then fails, as a process that dies right after the send would.</summary>
public sealed class CrashAfterSendTaskQueueSender(ITaskQueueSender inner) : ITaskQueueSender
{
    public int Sent { get; private set; }

    public async Task SendAsync(string messageId, BinaryData body, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
    {
        await inner.SendAsync(messageId, body, properties, cancellationToken);
        Sent++;
        throw new InvalidOperationException("The process died right after sending.");
    }
}

/// <summary>Reports synchronously, on the job's own flow (<see cref="Progress{T}"/> posts to the thread pool).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>Yields <paramref name="inner"/>'s first locked dead-letter, then fails as a queue gone away would.</summary>
public sealed class FailingDeadLetterQueue(IDeadLetterQueue inner) : IDeadLetterQueue
{
    public IAsyncEnumerable<DeadLetteredMessage> PeekAsync(CancellationToken cancellationToken) => inner.PeekAsync(cancellationToken);

    public async IAsyncEnumerable<ILockedDeadLetter> ReceiveAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var locked in inner.ReceiveAsync(cancellationToken))
        {
            yield return locked;
            throw new InvalidOperationException("The dead-letter queue went away.");
        }
    }
}
