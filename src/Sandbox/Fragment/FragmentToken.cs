using System.Security.Cryptography;
using System.Text;

namespace Integration.Sandbox.Fragment;

/// <summary>The one static API token Fragment accepts; replacing it revokes the previous one at once.</summary>
internal sealed class FragmentToken(string initial)
{
    private readonly Lock gate = new();
    private byte[] current = Encoding.UTF8.GetBytes(initial);

    public void Replace(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var bytes = Encoding.UTF8.GetBytes(token);
        lock (gate)
        {
            current = bytes;
        }
    }

    public bool Accepts(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        byte[] expected;
        lock (gate)
        {
            expected = current;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), expected);
    }
}
