using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Integration.Tasks.Messages;

/// <summary>Fragment's documented deterministic task uid: a UUID made from the MD5 of our own key.</summary>
public static class FragmentUid
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The uid Fragment's docs recommend for <paramref name="key"/>, identical to Python's
    /// <c>uuid.UUID(hashlib.md5(key.encode("utf-8")).hexdigest())</c>. The Guid is built from the 32 hex digits
    /// of the hash, never from the raw 16 bytes (<c>new Guid(byte[])</c> reorders the first three groups).
    /// </summary>
    /// <exception cref="ArgumentException">The key holds a lone surrogate, which has no UTF-8 form (Python raises too).</exception>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 is Fragment's documented id derivation, not a security measure.")]
    public static Guid FromExternalId(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = MD5.HashData(StrictUtf8.GetBytes(key));
        return Guid.ParseExact(Convert.ToHexStringLower(hash), "N");
    }
}
