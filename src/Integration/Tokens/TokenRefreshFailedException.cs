namespace Integration.Tokens;

/// <summary>A token refresh or read failed; the message names what to fix and never holds a token.</summary>
public sealed class TokenRefreshFailedException : Exception
{
    public TokenRefreshFailedException()
    {
    }

    public TokenRefreshFailedException(string message)
        : base(message)
    {
    }

    public TokenRefreshFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
