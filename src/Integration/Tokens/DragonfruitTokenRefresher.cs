using System.Globalization;
using Azure;
using Integration.KeyVault;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>
/// Exchanges the Dragonfruit refresh token for new tokens and stores them in Key Vault with their expiry.
/// One refresh at a time: callers in this process share the running one, and a blob lease keeps other
/// instances out. A token already stored that is at least as new is never overwritten.
/// </summary>
public sealed class DragonfruitTokenRefresher(
    DragonfruitTokenClient client,
    SecretStore secrets,
    IRefreshLock refreshLock,
    TokenRefreshJournal journal,
    IOptions<TokensOptions> options,
    TimeProvider time,
    ILogger<DragonfruitTokenRefresher> logger)
{
    private readonly Lock _gate = new();
    private (Task<TokenRefreshOutcome> Task, bool Forced)? _inflight;

    /// <summary>Refreshes when the stored bearer is missing, expired, or expires within <see cref="TokensOptions.RefreshMargin"/>.</summary>
    public Task<TokenRefreshOutcome> RefreshIfDueAsync(CancellationToken cancellationToken) =>
        Join(new Request(Forced: false, RejectedToken: null)).WaitAsync(cancellationToken);

    /// <summary>
    /// After Dragonfruit answered 401 to <paramref name="rejectedToken"/>: refreshes even when not due,
    /// unless the stored bearer has already been replaced by another caller.
    /// </summary>
    public Task<TokenRefreshOutcome> ForceRefreshAsync(string rejectedToken, CancellationToken cancellationToken) =>
        Join(new Request(Forced: true, rejectedToken)).WaitAsync(cancellationToken);

    private Task<TokenRefreshOutcome> Join(Request request)
    {
        lock (_gate)
        {
            if (_inflight is { Task.IsCompleted: false } running)
            {
                // A due-check run cannot answer a forced request: wait for it, then join or start a forced one.
                return running.Forced || !request.Forced ? running.Task : AfterAsync(running.Task, request);
            }

            var task = RunAsync(request);
            _inflight = (task, request.Forced);
            return task;
        }
    }

    private async Task<TokenRefreshOutcome> AfterAsync(Task<TokenRefreshOutcome> running, Request request)
    {
        await running;
        return await Join(request);
    }

    private async Task<TokenRefreshOutcome> RunAsync(Request request)
    {
        await Task.Yield(); // never run the refresh on the caller's stack while holding _gate
        using var scope = logger.BeginScope("{Partner} {Operation}", "Dragonfruit", "TokenRefresh");
        TokenRefreshOutcome outcome;
        try
        {
            await using var held = await AcquireLockAsync();
            outcome = held is null
                ? new TokenRefreshOutcome.Failed($"another instance held the refresh lease for longer than {options.Value.LockWaitTimeout}")
                : await RefreshUnderLockAsync(request);
        }
        catch (RequestFailedException e)
        {
            logger.LogError("Token refresh could not use Key Vault or the lease store: HTTP {Status} {ErrorCode}", e.Status, e.ErrorCode);
            outcome = new TokenRefreshOutcome.Failed($"Key Vault or lease storage answered HTTP {e.Status} {e.ErrorCode}");
        }
        catch (AggregateException e)
        {
            // The Azure SDK's retries all failed without an answer (Key Vault or storage unreachable, or timing out).
            logger.LogError("Token refresh could not reach Key Vault or the lease store after {Tries} tries", e.InnerExceptions.Count);
            outcome = new TokenRefreshOutcome.Failed($"Key Vault or lease storage did not answer ({e.InnerExceptions.Count} tries)");
        }

        await journal.RecordAsync(outcome, CancellationToken.None); // what the ops console shows as last refresh / last failure
        return outcome;
    }

    private async Task<IAsyncDisposable?> AcquireLockAsync()
    {
        var deadline = time.GetUtcNow() + options.Value.LockWaitTimeout;
        var held = await refreshLock.TryAcquireAsync(CancellationToken.None);
        while (held is null && time.GetUtcNow() < deadline)
        {
            logger.LogInformation("Another instance is refreshing Dragonfruit tokens; waiting {PollInterval} for its lease", options.Value.LockPollInterval);
            await Task.Delay(options.Value.LockPollInterval, time);
            held = await refreshLock.TryAcquireAsync(CancellationToken.None);
        }

        return held;
    }

    private async Task<TokenRefreshOutcome> RefreshUnderLockAsync(Request request)
    {
        var o = options.Value;
        var current = await secrets.GetAsync(o.BearerSecretName, CancellationToken.None);
        var now = time.GetUtcNow();
        if (current?.ExpiresOn is { } expiresOn && expiresOn > now)
        {
            if (!request.Forced && expiresOn - now > o.RefreshMargin)
            {
                logger.LogDebug("Stored Dragonfruit token is valid until {ExpiresOn:O}; no refresh due", expiresOn);
                return new TokenRefreshOutcome.NotDue(expiresOn);
            }

            if (request.Forced && current.Value != request.RejectedToken)
            {
                logger.LogInformation("The rejected Dragonfruit token was already replaced; the stored one is valid until {ExpiresOn:O}", expiresOn);
                return new TokenRefreshOutcome.NotDue(expiresOn);
            }
        }

        var refreshToken = await secrets.GetAsync(o.RefreshTokenSecretName, CancellationToken.None);
        if (refreshToken is null)
        {
            logger.LogError("Key Vault secret {SecretName} holding the Dragonfruit refresh token is missing", o.RefreshTokenSecretName);
            return new TokenRefreshOutcome.Failed(
                $"Key Vault secret '{o.RefreshTokenSecretName}' holding the Dragonfruit refresh token is missing; set it (integration secrets set {o.RefreshTokenSecretName})");
        }

        logger.LogInformation(
            "Refreshing Dragonfruit tokens (forced {Forced}; stored token expires {ExpiresOn:O}, past due {PastDue})",
            request.Forced,
            current?.ExpiresOn,
            current?.ExpiresOn is not { } e || e <= now);
        var answer = await client.ExchangeAsync(refreshToken.Value, CancellationToken.None);
        return answer switch
        {
            TokenExchangeResult.Issued issued => await StoreAsync(issued, refreshToken.Value, request),
            TokenExchangeResult.Rejected rejected => LogFailure(new TokenRefreshOutcome.Rejected(rejected.Status, rejected.RequestId, o.RefreshTokenSecretName)),
            TokenExchangeResult.Failed failed => LogFailure(new TokenRefreshOutcome.Failed(failed.Reason)),
            _ => throw new InvalidOperationException($"Unknown token exchange result {answer.GetType().Name}"),
        };
    }

    private async Task<TokenRefreshOutcome> StoreAsync(TokenExchangeResult.Issued issued, string usedRefreshToken, Request request)
    {
        var o = options.Value;
        var tokens = issued.Tokens;
        var bearer = tokens.Get(o.BearerToken);
        if (bearer is null)
        {
            return LogFailure(new TokenRefreshOutcome.Failed($"the answer holds no {o.BearerToken}, the configured bearer (Tokens:BearerToken)"));
        }

        var now = time.GetUtcNow();
        var expiresOn = DateTimeOffset.FromUnixTimeSeconds((now + tokens.ExpiresIn).ToUnixTimeSeconds()); // Key Vault keeps whole seconds

        // Compare before write: never replace a token that expires later than ours (stored by another writer meanwhile).
        var latest = await secrets.GetAsync(o.BearerSecretName, CancellationToken.None);
        if (latest?.ExpiresOn is { } latestExpiry && latestExpiry >= expiresOn && latest.Value != request.RejectedToken)
        {
            logger.LogWarning("A newer Dragonfruit token (expires {ExpiresOn:O}) was stored meanwhile; keeping it", latestExpiry);
            return new TokenRefreshOutcome.NewerTokenStored(latestExpiry);
        }

        var tags = new Dictionary<string, string>
        {
            ["issued-at"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["token-type"] = tokens.TokenType ?? "Bearer",
            ["partner-request-id"] = issued.RequestId ?? "",
        };
        var rotated = tokens.RefreshToken is { } newRefresh && newRefresh != usedRefreshToken;
        if (rotated)
        {
            await secrets.SetAsync(o.RefreshTokenSecretName, tokens.RefreshToken!, null, tags, CancellationToken.None);
        }

        var (otherName, other) = o.BearerToken == BearerTokenKind.IdToken
            ? (o.AccessTokenSecretName, tokens.AccessToken)
            : (o.IdTokenSecretName, tokens.IdToken);
        if (other is not null)
        {
            await secrets.SetAsync(otherName, other, expiresOn, tags, CancellationToken.None);
        }

        // The bearer goes last: a reader that sees it fresh also finds the rest written.
        await secrets.SetAsync(o.BearerSecretName, bearer, expiresOn, tags, CancellationToken.None);
        logger.LogInformation(
            "Stored new Dragonfruit tokens in Key Vault ({BearerSecretName}, {OtherSecretName}); they expire at {ExpiresOn:O}; refresh token rotated: {Rotated}; partner request id {PartnerRequestId}",
            o.BearerSecretName,
            other is null ? "-" : otherName,
            expiresOn,
            rotated,
            issued.RequestId);
        return new TokenRefreshOutcome.Refreshed(expiresOn, rotated);
    }

    private TokenRefreshOutcome LogFailure(TokenRefreshOutcome outcome)
    {
        logger.LogError("{Failure}", outcome.Describe());
        return outcome;
    }

    private readonly record struct Request(bool Forced, string? RejectedToken)
    {
        public override string ToString() => $"Request {{ Forced = {Forced} }}";
    }
}
