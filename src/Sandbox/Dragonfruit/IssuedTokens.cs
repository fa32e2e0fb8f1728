namespace Integration.Sandbox.Dragonfruit;

/// <summary>Every IdToken and AccessToken <c>get_new_tokens</c> issued, until it expires or is revoked. Thread-safe.</summary>
internal sealed class IssuedTokens(TimeProvider time)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> expiries = new(StringComparer.Ordinal);

    public void Add(TimeSpan lifetime, params string[] tokens)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            foreach (var expired in expiries.Where(e => e.Value <= now).Select(e => e.Key).ToList())
            {
                expiries.Remove(expired);
            }

            foreach (var token in tokens)
            {
                expiries[token] = now + lifetime;
            }
        }
    }

    /// <summary>True when <paramref name="token"/> was issued, has not expired and has not been revoked.</summary>
    public bool IsValid(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (gate)
        {
            return expiries.TryGetValue(token, out var expires) && time.GetUtcNow() < expires;
        }
    }

    public void RevokeAll()
    {
        lock (gate)
        {
            expiries.Clear();
        }
    }
}
