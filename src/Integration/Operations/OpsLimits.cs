using System.Globalization;

namespace Integration.Operations;

/// <summary>
/// The bounds of every operator input, checked in one place by the request types (<see cref="RedriveCommand"/>,
/// <see cref="ResyncCommand"/>, <see cref="OpsJson.TryParseTime"/>) that both the CLI and the ops functions go
/// through. A problem names the parameter; a caller answers it with exit 2 / HTTP 400, never a 500 or an endless loop.
/// </summary>
public static class OpsLimits
{
    /// <summary>How far back (or ahead) a time or a duration may reach: ten years.</summary>
    public static readonly TimeSpan MaxReach = TimeSpan.FromDays(3653);

    /// <summary>The longest time or duration text (an ISO 8601 time with fractions and offset fits).</summary>
    public const int MaxTimeLength = 40;

    /// <summary>Most values of one filter (fingerprints, reasons, message ids, statuses).</summary>
    public const int MaxFilterValues = 100;

    /// <summary>The longest filter value.</summary>
    public const int MaxFilterValueLength = 256;

    /// <summary>The highest rate an operator may ask for (the Fragment handler keeps its own 60/min anyway).</summary>
    public const double MaxMessagesPerSecond = 100;

    /// <summary>The most messages one command may move.</summary>
    public const int MaxMessages = 1_000_000;

    public static string? Rate(double? perSecond) => perSecond is { } rate && !(double.IsFinite(rate) && rate > 0 && rate <= MaxMessagesPerSecond)
        ? $"messagesPerSecond: {rate.ToString(CultureInfo.InvariantCulture)} is not a rate above 0 and at most {MaxMessagesPerSecond.ToString(CultureInfo.InvariantCulture)}"
        : null;

    public static string? Max(int? max) => max is { } n && n is <= 0 or > MaxMessages
        ? $"maxMessages: {n} is not a whole number from 1 to {MaxMessages}"
        : null;

    public static string? Filter(string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count > MaxFilterValues)
        {
            return $"{name}: {values.Count} values, at most {MaxFilterValues}";
        }

        return values.Any(v => string.IsNullOrEmpty(v) || v.Length > MaxFilterValueLength || v.Any(char.IsControl))
            ? $"{name}: a value is empty, longer than {MaxFilterValueLength} characters or holds control characters"
            : null;
    }

    /// <summary>A time parameter: absent, or an ISO 8601 time / a duration within <see cref="MaxReach"/> of now.</summary>
    public static string? Time(string name, string? text, DateTimeOffset now, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return null;
        }

        if (!OpsJson.TryParseTime(text, now, out var parsed))
        {
            return $"{name}: '{Shorten(text)}' is neither an ISO 8601 time nor a duration such as 2h (s, m, h, d) within {MaxReach.TotalDays / 365.25:0} years";
        }

        time = parsed;
        return null;
    }

    private static string Shorten(string text) => text.Length <= MaxTimeLength ? text : text[..MaxTimeLength] + "…";
}
