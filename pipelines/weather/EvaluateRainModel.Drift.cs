using Cairn.Pipelines.Weather.Charts;
using Cairn.Stages;
using Microsoft.Build.Framework;

namespace Cairn.Pipelines.Weather;

/// <summary>The drift report: each feature's shift between the training window and the recent window.</summary>
public sealed partial class EvaluateRainModel
{
    /// <summary><c>holdout</c> (the holdout dates) or <c>last N days</c> (the last N dates, all in the holdout).</summary>
    [StageParameter]
    public string DriftWindow { get; set; } = RecentWindow.Holdout;

    /// <summary>How many quantile bins of the training window PSI is computed over.</summary>
    [StageParameter]
    public int DriftBins { get; set; } = 10;

    [StageParameter]
    public double DriftPsiWarn { get; set; } = 0.1;

    [StageParameter]
    public double DriftPsiAlert { get; set; } = 0.25;

    [StageParameter]
    public double DriftKsAlert { get; set; } = 0.2;

    /// <summary>Where drift_report.md is written; none when empty.</summary>
    [StageOutput]
    public string DriftReport { get; set; } = string.Empty;

    /// <summary>Where drift_report.json is written; none when empty.</summary>
    [StageOutput]
    public string DriftReportJson { get; set; } = string.Empty;

    /// <summary>Where the drift chart (SVG) is written; none when empty.</summary>
    [StageOutput]
    public string DriftChart { get; set; } = string.Empty;

    /// <summary>Features whose drift reaches an alert threshold (reported, not a gate).</summary>
    [Output]
    [StageMetric]
    public long DriftAlerts { get; set; }

    [Output]
    [StageMetric]
    public long DriftWarnings { get; set; }

    private void DriftParametersAreValid()
    {
        if (!RecentWindow.TryParse(DriftWindow, out _))
        {
            LogCodedError("CAIRN5004", $"drift_window is '{DriftWindow}'; write holdout, or last N days (e.g. last 90 days) in {Config}");
        }

        if (DriftBins < 2)
        {
            LogCodedError("CAIRN5004", Invariant($"drift_bins is {DriftBins}; set it to 2 or more in {Config}"));
        }

        if (!(DriftPsiWarn > 0 && double.IsFinite(DriftPsiWarn)))
        {
            LogCodedError("CAIRN5004", Invariant($"drift_psi_warn is {DriftPsiWarn}; set it to a positive number in {Config}"));
        }
        else if (!(DriftPsiAlert >= DriftPsiWarn && double.IsFinite(DriftPsiAlert)))
        {
            LogCodedError("CAIRN5004", Invariant($"drift_psi_alert is {DriftPsiAlert}, below drift_psi_warn {DriftPsiWarn}; set it at or above drift_psi_warn in {Config}"));
        }

        if (DriftKsAlert is not (> 0 and <= 1))
        {
            LogCodedError("CAIRN5004", Invariant($"drift_ks_alert is {DriftKsAlert}; set it above 0 and at most 1 in {Config}"));
        }
    }

    /// <summary>The drift of every feature of the model, or null (with CAIRN5006 logged) when the two windows cannot be formed.</summary>
    private RainDrift? Drift(RainModel model, FeatureTable table, HoldoutSplit split)
    {
        // Checked with the other parameters before anything was read.
        var window = RecentWindow.TryParse(DriftWindow, out var parsed) ? parsed : RecentWindow.OfHoldout;
        if (split.TrainingDates.Count == 0)
        {
            LogCodedError("CAIRN5006", Invariant(
                $"the selected partitions hold {split.HoldoutDates.Count} date(s), all of them holdout, so there is no training window to measure drift against; select more partitions with --from/--to"));
            return null;
        }

        var recentDates = split.HoldoutDates;
        if (window.LastDays is { } days)
        {
            if (days > split.HoldoutDates.Count)
            {
                var reach = split.TrainingDates[^(days - split.HoldoutDates.Count)];
                LogCodedError("CAIRN5006", Invariant(
                    $"drift_window '{window}' reaches back to {reach:yyyy-MM-dd}, into the training dates (up to {split.TrainingDates[^1]:yyyy-MM-dd}), but the two windows must not share a row; the holdout has {split.HoldoutDates.Count} dates: choose at most 'last {split.HoldoutDates.Count} days', or 'holdout', in {Config}"));
                return null;
            }

            recentDates = split.HoldoutDates.Skip(split.HoldoutDates.Count - days).ToArray();
        }

        var firstRecent = recentDates[0];
        var training = table.Rows.Where(row => !split.IsHoldout(row.Date)).ToArray();
        var recent = table.Rows.Where(row => row.Date >= firstRecent).ToArray();
        var thresholds = new DriftThresholds { PsiWarn = DriftPsiWarn, PsiAlert = DriftPsiAlert, KsAlert = DriftKsAlert };
        var drift = DriftAnalysis.Compare(
            model.Features,
            training,
            recent,
            Range("training", split.TrainingDates, training.Length),
            Range(window.ToString(), recentDates, recent.Length),
            DriftBins,
            thresholds);
        DriftAlerts = drift.Alerts;
        DriftWarnings = drift.Warnings;
        Log.LogMessage(MessageImportance.Normal, Invariant(
            $"Evaluate: drift of the training window against {DriftMarkdown.RecentName(drift.RecentWindow)} ({drift.RecentWindow.From:yyyy-MM-dd}..{drift.RecentWindow.To:yyyy-MM-dd}), reported, not a gate. {DriftMarkdown.Summary(drift)}"));
        return drift;
    }

    private static DriftWindowRange Range(string definition, IReadOnlyList<DateOnly> dates, long rows) => new()
    {
        Definition = definition,
        From = dates[0],
        To = dates[^1],
        Dates = dates.Count,
        Rows = rows,
    };

    private void WriteDrift(RainDrift drift)
    {
        if (!string.IsNullOrEmpty(DriftReportJson))
        {
            OutputText.Write(DriftReportJson, ModellingJson.Serialize(drift));
        }

        if (!string.IsNullOrEmpty(DriftChart))
        {
            OutputText.Write(DriftChart, Charts.DriftChart.Render(drift));
        }

        if (!string.IsNullOrEmpty(DriftReport))
        {
            // The engine hands a stage its outputs at their final names and relative places.
            var link = string.IsNullOrEmpty(DriftChart) ? null
                : Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(DriftReport))!, Path.GetFullPath(DriftChart)).Replace('\\', '/');
            OutputText.Write(DriftReport, DriftMarkdown.Render(drift, link));
        }
    }
}
