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

    /// <summary>The dead-letters <paramref name="filter"/> takes, by fingerprint: the largest group first, then the most recent.</summary>
    public async Task<IReadOnlyList<DeadLetterGroup>> GroupAsync(DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, (DeadLetterFingerprint Fingerprint, List<DeadLetteredMessage> Messages)>(StringComparer.Ordinal);
        await foreach (var message in ListAsync(filter, cancellationToken))
        {
            var fingerprint = message.Fingerprint;
            if (!groups.TryGetValue(fingerprint.Key, out var group))
            {
                groups[fingerprint.Key] = group = (fingerprint, []);
            }

            group.Messages.Add(message);
        }

        return
        [
            .. groups.Values
                .Select(g => new DeadLetterGroup(
                    g.Fingerprint.Key,
                    g.Fingerprint.Reason,
                    g.Fingerprint.HttpStatus,
                    g.Fingerprint.ErrorCode,
                    g.Messages.Count,
                    g.Messages.Min(m => m.FailedAt),
                    g.Messages.Max(m => m.FailedAt),
                    [.. g.Messages.OrderBy(m => m.FailedAt).Take(SampleSize).Select(m => m.MessageId)]))
                .OrderByDescending(g => g.Count)
                .ThenByDescending(g => g.LastAt)
                .ThenBy(g => g.Fingerprint, StringComparer.Ordinal),
        ];
    }
}
