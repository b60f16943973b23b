using System.Text;
using static Cairn.Pipelines.Weather.MarkdownLines;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// Renders drift_report.md from a <see cref="RainDrift"/>: the two windows, per feature PSI, KS, the means and the
/// flag, the thresholds, the chart and how the numbers are computed. Nothing but the report goes in, so the same report
/// is the same bytes.
/// </summary>
internal static class DriftMarkdown
{
    public const int Decimals = 4;

    public static string Render(RainDrift report, string? chartLink)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        Line(text, "# Drift report");
        Line(text);
        Line(text, "How far each feature of the most recent rows has moved from the rows the model was trained on. The flags are reported, not a gate: a drifting feature does not fail the run or keep the model from being packaged (the gates are the thresholds in config/evaluate.yaml, and a breach waits for a review: see the README's Governance section).");
        Line(text);
        Windows(text, report);
        Line(text, Summary(report));
        Line(text);
        Features(text, report);
        var thresholds = report.Thresholds;
        Line(text, Invariant($"Thresholds (config/evaluate.yaml): PSI at or above {thresholds.PsiWarn} warns (drift_psi_warn), at or above {thresholds.PsiAlert} alerts (drift_psi_alert); KS at or above {thresholds.KsAlert} alerts (drift_ks_alert)."));
        Line(text);
        if (chartLink is not null)
        {
            Line(text, $"![PSI and KS of each feature against the thresholds]({chartLink})");
            Line(text);
        }

        Method(text, report);
        return text.ToString();
    }

    /// <summary>The features by flag, e.g. "Alert: temp_max. Warn: wind, doy_cos. Stable: temp_min." (a flag no feature has is left out).</summary>
    public static string Summary(RainDrift report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var groups = new[] { ("Alert", DriftFlags.Alert), ("Warn", DriftFlags.Warn), ("Stable", DriftFlags.Stable) }
            .Select(group => (group.Item1, Features: report.Features.Where(f => f.Flag == group.Item2).Select(f => f.Feature).ToArray()))
            .Where(group => group.Features.Length > 0)
            .Select(group => $"{group.Item1}: {string.Join(", ", group.Features)}.");
        return string.Join(" ", groups);
    }

    /// <summary>"the holdout" or "the last 90 days".</summary>
    public static string RecentName(DriftWindowRange window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return window.Definition == RecentWindow.Holdout ? "the holdout" : "the " + window.Definition;
    }

    private static void Windows(StringBuilder text, RainDrift report)
    {
        Line(text, "| Window | Rows | Dates | From | To |");
        Line(text, "| --- | ---: | ---: | --- | --- |");
        WindowRow(text, "Training (the reference)", report.TrainingWindow);
        WindowRow(text, "Recent: " + RecentName(report.RecentWindow), report.RecentWindow);
        Line(text);
    }

    private static void WindowRow(StringBuilder text, string name, DriftWindowRange window) =>
        Line(text, Invariant($"| {name} | {window.Rows} | {window.Dates} | {window.From:yyyy-MM-dd} | {window.To:yyyy-MM-dd} |"));

    private static void Features(StringBuilder text, RainDrift report)
    {
        Line(text, "| Feature | PSI | KS | Training mean | Recent mean | Flag |");
        Line(text, "| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var feature in report.Features)
        {
            Line(text, $"| {Cell(feature.Feature)} | {Fixed(feature.Psi, Decimals)} | {Fixed(feature.Ks, Decimals)} | {Fixed(feature.TrainingMean, Decimals)} | {Fixed(feature.RecentMean, Decimals)} | {(feature.Flag == DriftFlags.Stable ? feature.Flag : "**" + feature.Flag + "**")} |");
        }

        Line(text);
    }

    private static void Method(StringBuilder text, RainDrift report)
    {
        Line(text, "## How the numbers are computed");
        Line(text);
        Line(text, Invariant($"- **PSI** (population stability index): the training window's values of a feature are cut into {report.Bins} bins at their nearest-rank quantiles (the ⌈k·n/{report.Bins}⌉-th smallest value for k = 1 … {report.Bins - 1}; tied values can merge bins), a bin holding the values above its lower edge up to and including its upper edge. PSI = Σ (r − t) × ln(r / t) over the bins, t and r being the shares of the training and the recent rows in the bin; a share below {report.Epsilon} (an empty bin) counts as {report.Epsilon}. A common reading: below 0.1 little change, 0.1 to 0.25 a moderate shift, above 0.25 a large one."));
        Line(text, "- **KS**: the two-sample Kolmogorov–Smirnov statistic, the largest gap between the two windows' cumulative distributions (0: the same distribution, 1: no overlap). No p-value is given: MathNet.Numerics 5.0.0 has no Kolmogorov–Smirnov test, and with hundreds of rows in each window even a shift too small to matter gets a tiny p-value, so the threshold is on the size of the gap.");
        Line(text, Invariant($"- The recent window is `{report.RecentWindow.Definition}` (drift_window in config/evaluate.yaml: `holdout`, the dates the model is scored on, or `last N days`, the last N of them). The training window is the rows the model was fitted on."));
        Line(text, "- Each feature's bins, with the rows of each window in them, are in drift_report.json.");
    }
}
