using System.Globalization;

namespace Cairn.Pipelines.Weather.Charts;

/// <summary>
/// Per feature, a bar of its PSI and a bar of its Kolmogorov–Smirnov statistic, each coloured by the level it reaches,
/// with the thresholds as dashed lines across the rows.
/// </summary>
internal static class DriftChart
{
    public const string StableColour = "#59a14f";
    public const string WarnColour = "#f28e2b";
    public const string AlertColour = "#e15759";

    private const double Width = 760;
    private const double LabelRight = 116;
    private const double PsiLeft = 124;
    private const double KsLeft = 448;
    private const double PanelWidth = 270;
    private const double Top = 64;
    private const double RowHeight = 26;
    private const double BarHeight = 14;
    private const double Bottom = 80;

    public static string Render(RainDrift report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Features.Count;
        var height = Top + (rows * RowHeight) + Bottom;
        var svg = new SvgWriter(Width, height, "Drift per feature");
        svg.Text(12, 22, "Drift per feature: training window against " + DriftMarkdown.RecentName(report.RecentWindow), bold: true, size: 14);
        var thresholds = report.Thresholds;
        var psiScale = AxisScale.For(report.Features.Select(f => f.Psi).Append(thresholds.PsiAlert).Max());
        var ksScale = AxisScale.For(report.Features.Select(f => f.Ks).Append(thresholds.KsAlert).Max());
        var axisY = Top + (rows * RowHeight);

        Panel(svg, PsiLeft, psiScale, axisY, "PSI");
        Panel(svg, KsLeft, ksScale, axisY, "Kolmogorov–Smirnov statistic");
        for (var i = 0; i < rows; i++)
        {
            var feature = report.Features[i];
            var y = Top + (i * RowHeight) + ((RowHeight - BarHeight) / 2);
            svg.Text(LabelRight, y + BarHeight - 2, feature.Feature, SvgAnchor.End, size: 12);
            var psiLevel = thresholds.PsiLevel(feature.Psi);
            var ksLevel = thresholds.KsLevel(feature.Ks);
            Bar(svg, PsiLeft, psiScale, y, feature.Psi, psiLevel, Invariant($"{feature.Feature}: PSI {feature.Psi} ({psiLevel})"));
            Bar(svg, KsLeft, ksScale, y, feature.Ks, ksLevel, Invariant($"{feature.Feature}: KS {feature.Ks} ({ksLevel})"));
        }

        // Warn and alert labels on two lines, so close thresholds do not print over each other.
        Threshold(svg, PsiLeft, psiScale, axisY, thresholds.PsiWarn, WarnColour, Invariant($"warn {thresholds.PsiWarn}"), 30);
        Threshold(svg, PsiLeft, psiScale, axisY, thresholds.PsiAlert, AlertColour, Invariant($"alert {thresholds.PsiAlert}"), 44);
        Threshold(svg, KsLeft, ksScale, axisY, thresholds.KsAlert, AlertColour, Invariant($"alert {thresholds.KsAlert}"), 44);

        var legendY = height - 12;
        var legendX = 12.0;
        foreach (var (name, colour) in new[] { (DriftFlags.Stable, StableColour), (DriftFlags.Warn, WarnColour), (DriftFlags.Alert, AlertColour) })
        {
            svg.Rect(legendX, legendY - 10, 12, 12, colour);
            svg.Text(legendX + 18, legendY, name, size: 12);
            legendX += 80;
        }

        svg.Text(legendX + 8, legendY, Invariant($"training {report.TrainingWindow.From:yyyy-MM-dd}..{report.TrainingWindow.To:yyyy-MM-dd} against {report.RecentWindow.From:yyyy-MM-dd}..{report.RecentWindow.To:yyyy-MM-dd}; dashed: thresholds"), size: 11, fill: "#555555");
        return svg.ToString();
    }

    private static void Panel(SvgWriter svg, double left, AxisScale scale, double axisY, string title)
    {
        svg.Text(left + (PanelWidth / 2), Top - 14, title, SvgAnchor.Middle, size: 12, bold: true);
        foreach (var tick in scale.Ticks())
        {
            var x = X(left, scale, tick);
            svg.Line(x, Top, x, axisY, "#e3e3e3");
            svg.Text(x, axisY + 16, SvgWriter.Number(tick), SvgAnchor.Middle, size: 11, fill: "#555555");
        }

        svg.Line(left, Top, left, axisY, "#555555");
        svg.Line(left, axisY, left + PanelWidth, axisY, "#555555");
    }

    private static void Bar(SvgWriter svg, double left, AxisScale scale, double y, double value, string level, string tooltip)
    {
        var colour = level switch
        {
            DriftFlags.Alert => AlertColour,
            DriftFlags.Warn => WarnColour,
            _ => StableColour,
        };
        var end = X(left, scale, value);
        svg.Rect(left, y, end - left, BarHeight, colour, tooltip);
        svg.Text(end + 4, y + BarHeight - 3, value.ToString("0.000", CultureInfo.InvariantCulture), size: 11, fill: "#333333");
    }

    private static void Threshold(SvgWriter svg, double left, AxisScale scale, double axisY, double value, string colour, string label, double labelBelow)
    {
        var x = X(left, scale, value);
        svg.Line(x, Top - 4, x, axisY, colour, 1.5, "5 4");
        svg.Text(x, axisY + labelBelow, label, SvgAnchor.Middle, size: 10, fill: colour);
    }

    private static double X(double left, AxisScale scale, double value) => left + (Math.Clamp(value, 0, scale.Top) / scale.Top * PanelWidth);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
