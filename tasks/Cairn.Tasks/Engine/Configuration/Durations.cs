using System.Globalization;

namespace Cairn.Engine.Configuration;

/// <summary>Durations as people write them: <c>500ms</c>, <c>1.5s</c>, <c>10m</c>, <c>2h</c>.</summary>
internal static class Durations
{
    /// <summary>The longest timeout Cairn can wait for (a cancellation timer counts milliseconds in 32 bits: 49.7 days).</summary>
    public static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(49);

    /// <summary>The longest pause between retries (Polly's own limit).</summary>
    public static readonly TimeSpan LongestRetryDelay = TimeSpan.FromDays(1);

    /// <summary>Why a timeout cannot be used (not positive, or past <see cref="LongestTimeout"/>), or null when it can.</summary>
    public static string? TimeoutProblem(TimeSpan duration) =>
        duration <= TimeSpan.Zero ? "it must be longer than 0"
        : duration > LongestTimeout ? "it is longer than the longest, 49 days"
        : null;

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

        // A number too large for a TimeSpan is still a duration: the longest one, which every caller then refuses as too long.
        var seconds = amount * unit;
        duration = seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        return true;
    }

    public static string Format(TimeSpan duration) =>
        duration >= TimeSpan.FromDays(2) ? $"{duration.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} days" :
        duration.TotalSeconds < 1 ? $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
        : duration.TotalMinutes < 2 ? $"{duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
        : $"{duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min";
}
