using Integration.Tokens;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Integration.Functions.Tokens;

/// <summary>
/// Keeps the Dragonfruit tokens in Key Vault fresh. The schedule is the flat app setting
/// <c>TokenRefreshSchedule</c> (six-field NCRONTAB): binding expressions are resolved by the host and,
/// on Consumption/Flex plans, by the scale controller, which is not known to resolve nested names.
/// No function-level retry: the token client already retries the HTTP call, and a failed run is
/// simply repeated on the next tick.
/// </summary>
public sealed class RefreshDragonfruitTokensFunction(
    DragonfruitTokenRefresher refresher,
    ILogger<RefreshDragonfruitTokensFunction> logger)
{
    [Function("RefreshDragonfruitTokens")]
    public async Task Run([TimerTrigger("%TokenRefreshSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        logger.LogInformation("Dragonfruit token refresh tick (past due: {IsPastDue})", timer.IsPastDue);

        var outcome = await refresher.RefreshIfDueAsync(cancellationToken);

        // Throws TokenRefreshFailedException with an operator-facing message, so the run is marked failed.
        outcome.ThrowIfFailed();
    }
}
