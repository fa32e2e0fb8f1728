using Integration.Imports;
using Microsoft.Azure.Functions.Worker;

namespace Integration.Functions.Imports;

/// <summary>
/// Imports drops whose event never came or whose runs never finished (<see cref="ImportReconciler"/>). The schedule is
/// the flat app setting <c>ImportReconcileSchedule</c> (six-field NCRONTAB), flat for the same reason as the token timer's.
/// </summary>
public sealed class ReconcileImportsFunction(ImportReconciler reconciler)
{
    [Function("ReconcileImports")]
    public Task Run([TimerTrigger("%ImportReconcileSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return reconciler.RunAsync(cancellationToken);
    }
}
