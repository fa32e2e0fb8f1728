namespace Integration.Sandbox;

/// <summary>Every request the sandbox received on a recorded route, in arrival order. Thread-safe.</summary>
public sealed class CallLog
{
    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];
    private readonly List<Waiter> waiters = [];

    public IReadOnlyList<RecordedCall> All
    {
        get
        {
            lock (gate)
            {
                return [.. entries.Select(e => e.Call)];
            }
        }
    }

    public int Count(string route) => For(route).Count;

    public IReadOnlyList<RecordedCall> For(string route)
    {
        lock (gate)
        {
            return [.. entries.Select(e => e.Call).Where(c => Matches(c, route))];
        }
    }

    /// <summary>Completes with the <paramref name="count"/>-th call on <paramref name="route"/> as soon as it arrives (before it is answered).</summary>
    public async Task<RecordedCall> WaitForCallAsync(string route, int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Waiter waiter;
        lock (gate)
        {
            if (Nth(route, count) is { } already)
            {
                return already;
            }

            waiter = new Waiter(route, count);
            waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(ct);
        }
        finally
        {
            lock (gate)
            {
                waiters.Remove(waiter);
            }
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    internal Entry Record(RecordedCall call)
    {
        var entry = new Entry { Call = call };
        lock (gate)
        {
            entries.Add(entry);
            foreach (var waiter in waiters)
            {
                if (Nth(waiter.Route, waiter.Count) is { } reached)
                {
                    waiter.Completion.TrySetResult(reached);
                }
            }
        }

        return entry;
    }

    internal void Answered(Entry entry, int status)
    {
        lock (gate)
        {
            entry.Call = entry.Call with { Status = status };
        }
    }

    private RecordedCall? Nth(string route, int count)
    {
        var seen = 0;
        foreach (var entry in entries)
        {
            if (Matches(entry.Call, route) && ++seen == count)
            {
                return entry.Call;
            }
        }

        return null;
    }

    private static bool Matches(RecordedCall call, string route) => string.Equals(call.Route, route, StringComparison.OrdinalIgnoreCase);

    /// <summary>Handle for one recorded call, used to fill in its status when answered.</summary>
    internal sealed class Entry
    {
        public required RecordedCall Call { get; set; }
    }

    private sealed class Waiter(string route, int count)
    {
        public string Route { get; } = route;

        public int Count { get; } = count;

        public TaskCompletionSource<RecordedCall> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
