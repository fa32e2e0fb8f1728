namespace Integration.Tokens;

/// <summary>How one refresh attempt ended. Failures carry operator-facing reasons, never token values.</summary>
public abstract record TokenRefreshOutcome
{
    private TokenRefreshOutcome()
    {
    }

    public abstract bool Succeeded { get; }

    /// <summary>Turns a failed outcome into <see cref="TokenRefreshFailedException"/>, so a host marks its run failed.</summary>
    public void ThrowIfFailed()
    {
        if (!Succeeded)
        {
            throw new TokenRefreshFailedException(Describe());
        }
    }

    public abstract string Describe();

    public sealed record Refreshed(DateTimeOffset ExpiresOn, bool RefreshTokenRotated) : TokenRefreshOutcome
    {
        public override bool Succeeded => true;
        public override string Describe() => $"tokens refreshed; they expire at {ExpiresOn:O}";
    }

    public sealed record NotDue(DateTimeOffset ExpiresOn) : TokenRefreshOutcome
    {
        public override bool Succeeded => true;
        public override string Describe() => $"stored token still valid until {ExpiresOn:O}";
    }

    /// <summary>Another writer stored a token at least as new while this refresh ran; nothing was overwritten.</summary>
    public sealed record NewerTokenStored(DateTimeOffset ExpiresOn) : TokenRefreshOutcome
    {
        public override bool Succeeded => true;
        public override string Describe() => $"a newer token (expires {ExpiresOn:O}) was already stored";
    }

    /// <summary>Dragonfruit refused the refresh token (400/401/403…): an operator must replace the secret.</summary>
    public sealed record Rejected(int Status, string? RequestId, string SecretName) : TokenRefreshOutcome
    {
        public override bool Succeeded => false;
        public override string Describe() =>
            $"Dragonfruit rejected the refresh token with HTTP {Status} (request id {RequestId ?? "none"}); "
            + $"put a valid refresh token into Key Vault secret '{SecretName}'. The stored tokens were left in place.";
    }

    public sealed record Failed(string Reason) : TokenRefreshOutcome
    {
        public override bool Succeeded => false;
        public override string Describe() => $"Dragonfruit token refresh failed: {Reason}. The stored tokens were left in place.";
    }
}
