using System.Diagnostics.Metrics;

namespace Integration.Tasks;

/// <summary>The task path's counters (meter <see cref="MeterName"/>), for dashboards and metric alerts.</summary>
public sealed class TaskMetrics
{
    public const string MeterName = "Integration.Tasks";

    private readonly Counter<long> _stale;

    public TaskMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _stale = meters.Create(MeterName).CreateCounter<long>(
            "integration.tasks.stale_completed",
            unit: "{message}",
            description: "Task messages completed without a call because their version was not newer than one applied or claimed (tag kind: equal or older).");
    }

    /// <param name="older">True for a version older than the one applied or claimed; false for an equal one (a duplicate).</param>
    public void StaleCompleted(bool older) => _stale.Add(1, new KeyValuePair<string, object?>("kind", older ? "older" : "equal"));
}
