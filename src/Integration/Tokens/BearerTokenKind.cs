namespace Integration.Tokens;

/// <summary>Which Dragonfruit token callers send as the bearer.</summary>
public enum BearerTokenKind
{
    IdToken,
    AccessToken,
}
