using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Integration.Operations;

/// <summary>
/// One page of a listing: at most the asked size of items, and <paramref name="Next"/>, the <c>after</c> of the page
/// that follows (null: this was the last).
/// </summary>
public sealed record OpsPage<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// Page sizes and cursors of the ops listings (<c>max</c> and <c>after</c>). A cursor is the listing's own position
/// key, opaque to callers (base64url), so a caller can only hand back one a page gave it.
/// </summary>
public static class OpsPaging
{
    public const int DefaultSize = 100;

    public const int MaxSize = 1000;

    /// <summary>The longest cursor accepted.</summary>
    public const int MaxCursorLength = 512;

    /// <summary>The page size <c>max</c> asks for (absent: <see cref="DefaultSize"/>), or the problem with it.</summary>
    public static string? Size(string? text, out int size)
    {
        size = DefaultSize;
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size is >= 1 and <= MaxSize
            ? null
            : $"max: '{(text.Length <= 20 ? text : text[..20] + "…")}' is not a page size from 1 to {MaxSize}";
    }

    /// <summary>The position an <c>after</c> cursor holds (absent: null, from the start), or the problem with it.</summary>
    public static string? Cursor(string? text, out string? position)
    {
        position = null;
        if (text is null)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(Math.Min(text.Length, MaxCursorLength))];
        int written;
        try
        {
            if (text.Length is 0 or > MaxCursorLength || !Base64Url.TryDecodeFromChars(text, bytes, out written))
            {
                return "after: not a cursor a page of this listing gave (take the 'next' of the previous page)";
            }
        }
        catch (FormatException)
        {
            return "after: not a cursor a page of this listing gave (take the 'next' of the previous page)";
        }

        position = Encoding.UTF8.GetString(bytes, 0, written);
        return position.Any(char.IsControl) ? "after: not a cursor a page of this listing gave (take the 'next' of the previous page)" : null;
    }

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position));
}
