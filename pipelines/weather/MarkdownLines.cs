using System.Globalization;
using System.Text;

namespace Cairn.Pipelines.Weather;

/// <summary>The small pieces the drift report and the model card are written with: LF line ends, invariant fixed-point numbers, escaped table cells.</summary>
internal static class MarkdownLines
{
    // Append + '\n' rather than AppendLine, which would write the platform's line end.
    public static void Line(StringBuilder text, string line = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append(line).Append('\n');
    }

    /// <summary>Fixed-point with exactly <paramref name="decimals"/> decimals, never "-0.0000".</summary>
    public static string Fixed(double value, int decimals)
    {
        var rounded = ModellingJson.Round(value, decimals);
        return rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("|", "\\|", StringComparison.Ordinal);
    }

    public static string Invariant(FormattableString value) => FormattableString.Invariant(value);
}
