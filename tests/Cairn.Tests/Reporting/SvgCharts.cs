using Cairn.Pipelines.Weather;
using Cairn.Pipelines.Weather.Charts;

namespace Cairn.Tests.Reporting;

/// <summary>Charts as the Report stage draws them, from small fixed data: named, so a theory can take each in turn.</summary>
internal static class SvgCharts
{
    public static readonly MetricThresholds Thresholds = new() { MinAccuracy = 0.72, MinAuc = 0.8, MaxLogLoss = 0.52 };

    public static readonly string[] Names = ["rows", "rows-without-data", "history-of-one", "history-of-many"];

    public static string Render(string name) => name switch
    {
        "rows" => MonthlyRowsChart.Render(Months(48)),
        "rows-without-data" => MonthlyRowsChart.Render([]),
        "history-of-one" => MetricsHistoryChart.Render([Entry(1, 0.81, 0.88, 0.42)], Thresholds),
        "history-of-many" => MetricsHistoryChart.Render([.. Enumerable.Range(1, 20).Select(i => Entry(i, 0.70 + (i * 0.006), 0.78 + (i * 0.005), 1.3 - (i * 0.045)))], Thresholds),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such chart"),
    };

    /// <summary>Months from 2012-01 on, 28 to 31 rows each, every third with a few rows quarantined.</summary>
    public static MonthRows[] Months(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new MonthRows(new DateOnly(2012, 1, 1).AddMonths(i).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), 28 + (i % 4), i % 3 == 0 ? 2 + (i % 5) : 0))];

    public static MetricsHistoryEntry Entry(int model, double accuracy, double auc, double logLoss) =>
        new(model, accuracy, auc, logLoss, 293, "2012-01-01..2015-03-13");
}
