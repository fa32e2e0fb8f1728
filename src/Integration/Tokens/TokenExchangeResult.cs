namespace Integration.Tokens;

/// <summary>What Dragonfruit's token endpoint answered, as a value.</summary>
public abstract record TokenExchangeResult
{
    private TokenExchangeResult()
    {
    }

    public sealed record Issued(IssuedTokens Tokens, string? RequestId) : TokenExchangeResult;

    /// <summary>A 4xx other than 429: the refresh token is bad or revoked; retrying cannot help.</summary>
    public sealed record Rejected(int Status, string? RequestId) : TokenExchangeResult;

    /// <summary>Transient failures that outlasted the retries, or an answer without usable tokens.</summary>
    public sealed record Failed(string Reason, int? Status, string? RequestId) : TokenExchangeResult;
}
