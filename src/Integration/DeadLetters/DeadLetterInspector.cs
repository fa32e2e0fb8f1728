using System.Runtime.CompilerServices;

namespace Integration.DeadLetters;

/// <summary>
/// What failed, why, since when: lists the dead-lettered task messages (peeked, nothing locked or changed) and groups
/// them by <see cref="DeadLetterFingerprint"/>. Read-only, so not audited.
/// </summary>
public sealed class DeadLetterInspector(IDeadLetterQueue queue)
{
    /// <summary>How many message ids a group shows.</summary>
    public const int SampleSize = 5;

    /// <summary>The dead-letters <paramref name="filter"/> takes, oldest first.</summary>
    public async IAsyncEnumerable<DeadLetteredMessage> ListAsync(DeadLetterFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await foreach (var message in queue.PeekAsync(cancellationToken))
        {
            if (filter.Matches(message))
            {
                yield return message;
            }
        }
    }

    /// <summary>
    /// One page of the dead-letters <paramref name="filter"/> takes, oldest first: <paramref name="size"/> of them after
    /// the first <paramref name="skip"/>, and whether more follow. Holds one page in memory, however long the queue.
    /// </summary>
    public async Task<(IReadOnlyList<DeadLetteredMessage> Messages, bool More)> PageAsync(DeadLetterFilter filter, int skip, int size, CancellationToken cancellationToken)
    {
        var page = new List<DeadLetteredMessage>(Math.Min(size, 1024));
        var seen = 0;
        await foreach (var message in ListAsync(filter, cancellationToken))
        {
            if (seen++ < skip)
            {
                continue;
            }

            if (page.Count == size)
            {
                return (page, true);
            }

            page.Add(message);
        }

        return (page, false);
    }

    /// <summary>
    /// The dead-letters <paramref name="filter"/> takes, by fingerprint: the largest group first, then the most recent.
    /// Keeps counts, times and a few ids per group, never the messages themselves.
    /// </summary>
    public async Task<IReadOnlyList<DeadLetterGroup>> GroupAsync(DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, GroupTally>(StringComparer.Ordinal);
        await foreach (var message in ListAsync(filter, cancellationToken))
        {
            var fingerprint = message.Fingerprint;
            if (!groups.TryGetValue(fingerprint.Key, out var tally))
            {
                groups[fingerprint.Key] = tally = new GroupTally(fingerprint);
            }

            tally.Add(message);
        }

        return
        [
            .. groups.Values
                .Select(g => g.ToGroup())
                .OrderByDescending(g => g.Count)
                .ThenByDescending(g => g.LastAt)
                .ThenBy(g => g.Fingerprint, StringComparer.Ordinal),
        ];
    }

    private sealed class GroupTally(DeadLetterFingerprint fingerprint)
    {
        private readonly List<(DateTimeOffset At, string Id)> _oldest = [];
        private int _count;
        private DateTimeOffset _first = DateTimeOffset.MaxValue;
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public void Add(DeadLetteredMessage message)
        {
            _count++;
            var at = message.FailedAt;
            (_first, _last) = (at < _first ? at : _first, at > _last ? at : _last);
            // Kept sorted by time, ties in queue order (as a stable sort of all of them would leave them).
            var index = _oldest.FindIndex(o => o.At > at);
            _oldest.Insert(index < 0 ? _oldest.Count : index, (at, message.MessageId));
            if (_oldest.Count > SampleSize)
            {
                _oldest.RemoveAt(SampleSize);
            }
        }

        public DeadLetterGroup ToGroup() => new(
            fingerprint.Key,
            fingerprint.Reason,
            fingerprint.HttpStatus,
            fingerprint.ErrorCode,
            _count,
            _first,
            _last,
            [.. _oldest.Select(o => o.Id)]);
    }
}
