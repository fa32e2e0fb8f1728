using Integration.Operations;
using Microsoft.Azure.Functions.Worker;

namespace Integration.Functions.Operations;

/// <summary>
/// Deletes request-log and audit rows older than <c>Operations:RetentionDays</c> (<see cref="OpsRetention"/>). The
/// schedule is the flat app setting <c>OpsRetentionSchedule</c> (six-field NCRONTAB), flat as the other timers'.
/// </summary>
public sealed class PruneOperationsTablesFunction(OpsRetention retention)
{
    [Function("PruneOperationsTables")]
    public Task Run([TimerTrigger("%OpsRetentionSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return retention.PruneAsync(cancellationToken);
    }
}
