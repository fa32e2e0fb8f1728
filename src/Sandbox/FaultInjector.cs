namespace Integration.Sandbox;

/// <summary>
/// Per-route FIFO queues of <see cref="Fault"/>s; route keys are case-insensitive. A route may also have a chaos
/// source (<see cref="SetChaos"/>) that picks a fault, or none, for every request its queue has nothing for.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Queue<Fault>> queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<Fault?>> chaos = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>From now on, requests on <paramref name="route"/> with no queued fault get what <paramref name="source"/> picks (null: none).</summary>
    public void SetChaos(string route, Func<Fault?>? source)
    {
        ArgumentException.ThrowIfNullOrEmpty(route);
        lock (gate)
        {
            if (source is null)
            {
                chaos.Remove(route);
            }
            else
            {
                chaos[route] = source;
            }
        }
    }

    public void Enqueue(string route, params Fault[] faults)
    {
        ArgumentException.ThrowIfNullOrEmpty(route);
        ArgumentNullException.ThrowIfNull(faults);
        lock (gate)
        {
            if (!queues.TryGetValue(route, out var queue))
            {
                queue = new Queue<Fault>();
                queues[route] = queue;
            }

            foreach (var fault in faults)
            {
                queue.Enqueue(fault ?? throw new ArgumentException("A fault is null.", nameof(faults)));
            }
        }
    }

    public bool TryDequeue(string route, out Fault fault)
    {
        lock (gate)
        {
            if (queues.TryGetValue(route, out var queue) && queue.TryDequeue(out var next))
            {
                fault = next;
                return true;
            }

            if (chaos.TryGetValue(route, out var source) && source() is { } picked)
            {
                fault = picked;
                return true;
            }
        }

        fault = null!;
        return false;
    }

    /// <summary>How many faults are still queued for <paramref name="route"/>.</summary>
    public int Pending(string route)
    {
        lock (gate)
        {
            return queues.TryGetValue(route, out var queue) ? queue.Count : 0;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            queues.Clear();
            chaos.Clear();
        }
    }
}
