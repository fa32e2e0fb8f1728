using System.Globalization;

namespace Integration.Imports.Csv;

/// <summary>Shared constants and message helpers of the CSV readers.</summary>
internal static class CsvBytes
{
    /// <summary>Read buffer (from the shared array pool): large enough to amortise blob reads, small enough for the pool.</summary>
    public const int BufferSize = 128 * 1024;

    public static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>"1 byte", "10 bytes", "1.5 MiB (1,572,864 bytes)".</summary>
    public static string Size(long bytes)
    {
        if (bytes == 1)
        {
            return "1 byte";
        }

        if (bytes < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
        }

        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]} ({bytes:N0} bytes)");
    }

    /// <summary>Text for a message: quoted, control characters made visible, long text shortened.</summary>
    public static string Quote(string text, int max = 120)
    {
        var shown = text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
        shown = shown.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return $"\"{shown}\"";
    }
}
