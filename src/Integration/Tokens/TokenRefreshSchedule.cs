using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>
/// The refresh timer for hosts without the Functions timer trigger (the CLI's local run): one tick at start,
/// then one at every occurrence of <see cref="TokensOptions.RefreshSchedule"/>, on the injected clock.
/// </summary>
public sealed class TokenRefreshSchedule(
    DragonfruitTokenRefresher refresher,
    IOptions<TokensOptions> options,
    TimeProvider time,
    ILogger<TokenRefreshSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CronExpression.Parse(options.Value.RefreshSchedule, CronFormat.IncludeSeconds);
        for (DateTimeOffset? due = time.GetUtcNow(); due is { } next && !stoppingToken.IsCancellationRequested;)
        {
            if (next - time.GetUtcNow() is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, time, stoppingToken);
            }

            try
            {
                var outcome = await refresher.RefreshIfDueAsync(stoppingToken);
                logger.Log(outcome.Succeeded ? LogLevel.Information : LogLevel.Error, "Token refresh tick: {Outcome}", outcome.Describe());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Token refresh tick failed; the next tick tries again");
            }

            due = schedule.GetNextOccurrence(time.GetUtcNow(), TimeZoneInfo.Utc);
        }
    }
}
