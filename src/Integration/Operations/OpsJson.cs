using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integration.Operations;

/// <summary>The one JSON shape of operator results, printed by the CLI (<c>--json</c>) and answered by the ops functions.</summary>
public static class OpsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    /// <summary>
    /// An ISO 8601 time (<c>2026-11-27T06:00:00Z</c>), or a duration back from now (<c>90m</c>, <c>2h</c>, <c>3d</c>);
    /// either within <see cref="OpsLimits.MaxReach"/> of now (<c>Infinityh</c>, <c>3000000d</c> or the year 9999 are not).
    /// </summary>
    public static bool TryParseTime(string? text, DateTimeOffset now, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > OpsLimits.MaxTimeLength)
        {
            return false;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return (time - now).Duration() <= OpsLimits.MaxReach || Fail(out time);
        }

        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && double.IsFinite(amount) && amount >= 0)
        {
            var days = text[^1] switch
            {
                's' => amount / 86_400,
                'm' => amount / 1_440,
                'h' => amount / 24,
                'd' => amount,
                _ => double.NaN,
            };
            if (!(days <= OpsLimits.MaxReach.TotalDays))
            {
                return false;
            }

            TimeSpan? back = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (back is { } span)
            {
                time = now - span;
                return true;
            }
        }

        return false;
    }

    private static bool Fail(out DateTimeOffset time)
    {
        time = default;
        return false;
    }
}
