using System.Globalization;

namespace Cairn.Pipelines.Weather.Charts;

/// <summary>A bar per month: rows kept, with the rows quarantined stacked on top.</summary>
internal static class MonthlyRowsChart
{
    public const string KeptColour = "#4e79a7";
    public const string QuarantinedColour = "#f28e2b";
    private const double Width = 760;
    private const double Height = 300;
    private const double Left = 56;
    private const double Right = 16;
    private const double Top = 44;
    private const double Bottom = 40;

    public static string Render(IReadOnlyList<MonthRows> months)
    {
        var svg = new SvgWriter(Width, Height, "Rows per month: kept and quarantined");
        svg.Text(Left, 20, "Rows per month", bold: true, size: 14);
        Legend(svg);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var scale = AxisScale.For(months.Count == 0 ? 0 : months.Max(m => m.Kept + m.Quarantined));
        double Y(double value) => Top + plotHeight - (value / scale.Top * plotHeight);

        foreach (var tick in scale.Ticks())
        {
            svg.Line(Left, Y(tick), Left + plotWidth, Y(tick), "#e3e3e3");
            svg.Text(Left - 6, Y(tick) + 4, SvgWriter.Number(tick), SvgAnchor.End, size: 11, fill: "#555555");
        }

        if (months.Count == 0)
        {
            svg.Text(Left + (plotWidth / 2), Top + (plotHeight / 2), "no partitions", SvgAnchor.Middle);
        }

        var slot = months.Count == 0 ? plotWidth : plotWidth / months.Count;
        var labelled = LabelledIndexes(months);
        for (var i = 0; i < months.Count; i++)
        {
            var month = months[i];
            var x = Left + (i * slot) + (slot * 0.1);
            var barWidth = slot * 0.8;
            var tooltip = string.Create(CultureInfo.InvariantCulture, $"{month.Month}: {month.Kept + month.Quarantined} rows, {month.Quarantined} quarantined");
            svg.Rect(x, Y(month.Kept), barWidth, Y(0) - Y(month.Kept), KeptColour, tooltip);
            if (month.Quarantined > 0)
            {
                svg.Rect(x, Y(month.Kept + month.Quarantined), barWidth, Y(month.Kept) - Y(month.Kept + month.Quarantined), QuarantinedColour, tooltip);
            }

            if (labelled.Contains(i))
            {
                var label = months.Count > 12 && IsMonth(month.Month) ? month.Month[..4] : month.Month;
                svg.Line(x + (barWidth / 2), Y(0), x + (barWidth / 2), Y(0) + 4, "#555555");
                svg.Text(x + (barWidth / 2), Y(0) + 18, label, SvgAnchor.Middle, size: 11, fill: "#555555");
            }
        }

        svg.Line(Left, Y(0), Left + plotWidth, Y(0), "#555555");
        return svg.ToString();
    }

    private static void Legend(SvgWriter svg)
    {
        var x = Width - Right - 230;
        svg.Rect(x, 10, 12, 12, KeptColour);
        svg.Text(x + 18, 20, "kept", size: 12);
        svg.Rect(x + 80, 10, 12, 12, QuarantinedColour);
        svg.Text(x + 98, 20, "quarantined", size: 12);
    }

    /// <summary>Every month when there are few; otherwise each January (labelled with its year), or every k-th bar.</summary>
    private static HashSet<int> LabelledIndexes(IReadOnlyList<MonthRows> months)
    {
        if (months.Count <= 12)
        {
            return [.. Enumerable.Range(0, months.Count)];
        }

        if (months.All(m => IsMonth(m.Month)))
        {
            var januaries = Enumerable.Range(0, months.Count).Where(i => months[i].Month.EndsWith("-01", StringComparison.Ordinal)).ToHashSet();
            if (januaries.Count > 0)
            {
                return januaries;
            }
        }

        var every = (int)Math.Ceiling(months.Count / 12.0);
        return [.. Enumerable.Range(0, months.Count).Where(i => i % every == 0)];
    }

    private static bool IsMonth(string label) => label.Length == 7 && label[4] == '-' && char.IsAsciiDigit(label[0]) && char.IsAsciiDigit(label[6]);
}
