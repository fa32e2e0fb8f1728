using Integration.Tasks;

namespace Integration.Benchmark.Tasks;

/// <summary>Counts settlements by kind across every instance; a rescheduled message is only counted, never sent again.</summary>
internal sealed class SettlementCounts
{
    private int complete;
    private int reschedule;
    private int deadLetter;
    private int unsettled;

    public int Complete => Volatile.Read(ref complete);
    public int Reschedule => Volatile.Read(ref reschedule);
    public int DeadLetter => Volatile.Read(ref deadLetter);

    /// <summary>Handler calls that returned without settling (should stay 0).</summary>
    public int Unsettled => Volatile.Read(ref unsettled);

    public Dictionary<string, int> DeadLetterReasons { get; } = [];

    public ITaskSettlement NewSettlement() => new Settlement(this);

    public void CheckSettled(ITaskSettlement settlement)
    {
        if (!((Settlement)settlement).Settled)
        {
            Interlocked.Increment(ref unsettled);
        }
    }

    private sealed class Settlement(SettlementCounts counts) : ITaskSettlement
    {
        public bool Settled { get; private set; }

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            Mark();
            Interlocked.Increment(ref counts.complete);
            return Task.CompletedTask;
        }

        public Task DeadLetterAsync(string reason, string description, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
        {
            Mark();
            Interlocked.Increment(ref counts.deadLetter);
            lock (counts.DeadLetterReasons)
            {
                counts.DeadLetterReasons[reason] = counts.DeadLetterReasons.GetValueOrDefault(reason) + 1;
            }

            return Task.CompletedTask;
        }

        public Task RescheduleAsync(TimeSpan delay, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken)
        {
            Mark();
            Interlocked.Increment(ref counts.reschedule);

            // Why a message was delayed (no budget slot, a transient answer, a busy task): the properties say.
            Console.Error.WriteLine($"rescheduled for {delay}: {(properties.Count == 0 ? "no failure (no slot or task busy)" : string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}")))}");
            return Task.CompletedTask;
        }

        private void Mark()
        {
            if (Settled)
            {
                throw new InvalidOperationException("Settled twice.");
            }

            Settled = true;
        }
    }
}
