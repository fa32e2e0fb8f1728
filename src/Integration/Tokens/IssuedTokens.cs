namespace Integration.Tokens;

/// <summary>Tokens from one <c>get_new_tokens</c> answer. <see cref="ToString"/> never shows a token.</summary>
public sealed class IssuedTokens(string? idToken, string? accessToken, string? refreshToken, TimeSpan expiresIn, string? tokenType)
{
    public string? IdToken { get; } = idToken;
    public string? AccessToken { get; } = accessToken;

    /// <summary>A new refresh token, when the partner rotates it; null otherwise.</summary>
    public string? RefreshToken { get; } = refreshToken;

    public TimeSpan ExpiresIn { get; } = expiresIn;
    public string? TokenType { get; } = tokenType;

    public string? Get(BearerTokenKind kind) => kind == BearerTokenKind.IdToken ? IdToken : AccessToken;

    public override string ToString() =>
        $"tokens (id token {(IdToken is null ? "absent" : "present")}, access token {(AccessToken is null ? "absent" : "present")}, expires in {ExpiresIn})";
}
