using System.Globalization;

namespace Cairn.Pipelines.Weather.Charts;

/// <summary>The holdout scores of each model in the history, one line per metric, with the evaluation thresholds dashed.</summary>
internal static class MetricsHistoryChart
{
    private const double Width = 760;
    private const double Height = 300;
    private const double Left = 56;
    private const double Right = 24;
    private const double Top = 44;
    private const double Bottom = 40;

    private static readonly (string Name, string Colour)[] Series =
    [
        ("accuracy", "#4e79a7"),
        ("AUC", "#59a14f"),
        ("log loss", "#e15759"),
    ];

    public static string Render(IReadOnlyList<MetricsHistoryEntry> history, MetricThresholds thresholds)
    {
        var svg = new SvgWriter(Width, Height, "Model metrics across runs");
        svg.Text(Left, 20, "Holdout metrics of each model built here", bold: true, size: 14);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var values = history.SelectMany(e => new[] { e.Accuracy, e.Auc, e.LogLoss }).Append(thresholds.MaxLogLoss).Append(1.0);
        var scale = AxisScale.For(values.Max());
        double Y(double value) => Top + plotHeight - (value / scale.Top * plotHeight);
        double X(int index) => history.Count <= 1 ? Left + (plotWidth / 2) : Left + 20 + (index * (plotWidth - 40) / (history.Count - 1));

        foreach (var tick in scale.Ticks())
        {
            svg.Line(Left, Y(tick), Left + plotWidth, Y(tick), "#e3e3e3");
            svg.Text(Left - 6, Y(tick) + 4, SvgWriter.Number(tick), SvgAnchor.End, size: 11, fill: "#555555");
        }

        svg.Line(Left, Y(0), Left + plotWidth, Y(0), "#555555");
        double[] limits = [thresholds.MinAccuracy, thresholds.MinAuc, thresholds.MaxLogLoss];
        for (var s = 0; s < Series.Length; s++)
        {
            var (name, colour) = Series[s];
            svg.Line(Left, Y(limits[s]), Left + plotWidth, Y(limits[s]), colour, 1, "5 4");
            var points = history.Select((e, i) => (X(i), Y(Value(e, s)))).ToList();
            if (points.Count > 1)
            {
                svg.Polyline(points, colour);
            }

            for (var i = 0; i < history.Count; i++)
            {
                var tooltip = string.Create(CultureInfo.InvariantCulture, $"model {history[i].Model}: {name} {Value(history[i], s)}");
                svg.Circle(points[i].Item1, points[i].Item2, 3.5, colour, tooltip);
            }

            var legendX = Width - Right - 300 + (s * 100);
            svg.Rect(legendX, 10, 12, 12, colour);
            svg.Text(legendX + 18, 20, name, size: 12);
        }

        // About a dozen labels; the newest model always gets one, unless it would crowd the label before it.
        const double MinLabelGap = 28;
        var every = Math.Max(1, (int)Math.Ceiling(history.Count / 12.0));
        var labelled = Enumerable.Range(0, history.Count).Where(i => i % every == 0).ToList();
        if (labelled[^1] != history.Count - 1 && X(history.Count - 1) - X(labelled[^1]) >= MinLabelGap)
        {
            labelled.Add(history.Count - 1);
        }

        foreach (var i in labelled)
        {
            svg.Text(X(i), Y(0) + 18, history[i].Model.ToString(CultureInfo.InvariantCulture), SvgAnchor.Middle, size: 11, fill: "#555555");
        }

        svg.Text(Left + (plotWidth / 2), Height - 6, "model (oldest first); dashed: the evaluation thresholds", SvgAnchor.Middle, size: 11, fill: "#555555");
        return svg.ToString();
    }

    private static double Value(MetricsHistoryEntry entry, int series) => series switch
    {
        0 => entry.Accuracy,
        1 => entry.Auc,
        _ => entry.LogLoss,
    };
}
