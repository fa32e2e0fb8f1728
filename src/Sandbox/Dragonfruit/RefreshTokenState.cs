using System.Security.Cryptography;
using System.Text;

namespace Integration.Sandbox.Dragonfruit;

/// <summary>The one refresh token Dragonfruit currently accepts; rotation replaces it atomically.</summary>
internal sealed class RefreshTokenState(string initial)
{
    private readonly Lock gate = new();
    private string current = initial;

    public string Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    /// <summary>
    /// Accepts <paramref name="presented"/> if it is the current token. With <paramref name="rotate"/> the current token is
    /// replaced and the new one returned in <paramref name="rotated"/>.
    /// </summary>
    public bool TryRedeem(string? presented, bool rotate, out string? rotated)
    {
        rotated = null;
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        lock (gate)
        {
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(current)))
            {
                return false;
            }

            if (rotate)
            {
                current = rotated = FakeTokens.Opaque();
            }

            return true;
        }
    }
}
