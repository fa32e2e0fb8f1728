namespace Integration.Common;

/// <summary>
/// Every secret value this process has handled: each value read from or written to Key Vault (refresh token, bearer,
/// ID/access tokens, the Fragment API token), tokens a partner issued, the Key Vault emulator's access token. The sinks
/// mask them (<see cref="Mask"/>, <see cref="Redact"/>) wherever partner text is captured, so a partner that echoes a
/// credential in an error text cannot leak it. Holds the most recent <see cref="Capacity"/> values.
/// </summary>
public sealed class KnownSecrets
{
    public const int Capacity = 256;

    private readonly Lock _gate = new();
    private readonly LinkedList<string> _order = new();
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private string[] _snapshot = [];

    /// <summary>Remembers <paramref name="value"/> (ignored when null or shorter than <see cref="SecretRedactor.MinSecretLength"/>).</summary>
    public void Add(string? value)
    {
        if (value is not { Length: >= SecretRedactor.MinSecretLength })
        {
            return;
        }

        lock (_gate)
        {
            if (!_values.Add(value))
            {
                return;
            }

            _order.AddLast(value);
            if (_order.Count > Capacity)
            {
                _values.Remove(_order.First!.Value);
                _order.RemoveFirst();
            }

            _snapshot = [.. _order];
        }
    }

    /// <summary>Known values, JWT-shaped strings and <c>Bearer …</c> text masked; nothing else changed.</summary>
    public string Mask(string? text) => SecretRedactor.MaskSecrets(text, Volatile.Read(ref _snapshot));

    /// <summary><see cref="Mask"/>, credential-named JSON members masked, length capped: for a partner body kept in a sink.</summary>
    public string Redact(string? text) => SecretRedactor.Redact(text, Volatile.Read(ref _snapshot));
}
