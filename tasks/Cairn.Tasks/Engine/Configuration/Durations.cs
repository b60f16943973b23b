using System.Globalization;

namespace Cairn.Engine.Configuration;

/// <summary>Durations as people write them: <c>500ms</c>, <c>1.5s</c>, <c>10m</c>, <c>2h</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : value.EndsWith('m') ? (value[..^1], 60.0)
            : value.EndsWith('h') ? (value[..^1], 3600.0)
            : (value, double.NaN);
        if (double.IsNaN(unit) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || !double.IsFinite(amount))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * unit);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 1 ? $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
        : duration.TotalMinutes < 2 ? $"{duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
        : $"{duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min";
}
