using System.Globalization;
using System.Text;
using Cairn.Pipelines.Weather.Charts;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// Renders report.md. The text depends on nothing but <see cref="ReportInputs"/>: invariant numbers
/// (scores as written to metrics.json, model values to <see cref="ModelDecimals"/> decimals), LF line
/// ends, partitions in ordinal order, no timestamps or paths.
/// </summary>
internal static class ReportMarkdown
{
    public const int ModelDecimals = 4;

    public const int QuarantineListLimit = 20;

    public static string Render(ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var text = new StringBuilder();
        var model = inputs.Model;
        var metrics = inputs.Metrics;
        Line(text, "# Weather pipeline report");
        Line(text);
        Line(text, Invariant($"Rain model: logistic regression predicting `{model.Label}` from {model.Features.Count} features, trained on {model.TrainingRows} rows ({model.TrainingDates}) and scored on {metrics.Rows} holdout rows ({metrics.HoldoutDates})."));
        Line(text);
        Metrics(text, metrics, model.Label);
        History(text, inputs);
        Coefficients(text, model);
        DataQuality(text, inputs);
        Dag(text, inputs.Edges, inputs.States);
        Quarantine(text, inputs.Quarantined);
        return text.ToString();
    }

    private static void Metrics(StringBuilder text, RainMetrics metrics, string label)
    {
        Line(text, "## Model metrics");
        Line(text);
        Line(text, "| Metric | Value | Threshold | Result |");
        Line(text, "| --- | ---: | --- | --- |");
        var thresholds = metrics.Thresholds;
        MetricRow(text, "Accuracy", metrics.Accuracy, "≥", thresholds.MinAccuracy, metrics.Accuracy >= thresholds.MinAccuracy);
        MetricRow(text, "AUC", metrics.Auc, "≥", thresholds.MinAuc, metrics.Auc >= thresholds.MinAuc);
        MetricRow(text, "Log loss", metrics.LogLoss, "≤", thresholds.MaxLogLoss, metrics.LogLoss <= thresholds.MaxLogLoss);
        Line(text);
        Line(text, Invariant($"{metrics.Positives} of the {metrics.Rows} holdout rows have {label} = 1; a row is predicted {label} = 1 when its probability is at least {ClassificationScores.DecisionThreshold}."));
        Line(text);
    }

    private static void History(StringBuilder text, ReportInputs inputs)
    {
        if (inputs.MetricsChartFile is null)
        {
            return;
        }

        var models = inputs.History.Count == 1 ? "the one model" : Invariant($"the last {inputs.History.Count} models");
        var kept = inputs.HistoryFile is null ? string.Empty : $" (kept in `{inputs.HistoryFile}`; a model is added when its scores differ from the last)";
        Line(text, $"![Holdout metrics of each model built in this workspace]({inputs.MetricsChartFile})");
        Line(text);
        Line(text, $"Holdout metrics of {models} built in this workspace, oldest first{kept}.");
        Line(text);
    }

    private static void MetricRow(StringBuilder text, string name, double value, string comparison, double threshold, bool passed) =>
        Line(text, Invariant($"| {name} | {value} | {comparison} {threshold} | {(passed ? "pass" : "FAIL")} |"));

    private static void Coefficients(StringBuilder text, RainModel model)
    {
        Line(text, "## Model coefficients");
        Line(text);
        Line(text, Invariant($"Coefficients apply to standardized features, (x − mean) / std. The fit converged in {model.Iterations} iterations (l2 {model.Parameters.L2}, seed {model.Parameters.Seed})."));
        Line(text);
        Line(text, "| Feature | Mean | Std | Coefficient |");
        Line(text, "| --- | ---: | ---: | ---: |");
        Line(text, $"| (intercept) | | | {Fixed(model.Intercept)} |");
        for (var i = 0; i < model.Features.Count; i++)
        {
            Line(text, $"| {Cell(model.Features[i])} | {Fixed(model.Means[i])} | {Fixed(model.Stds[i])} | {Fixed(model.Coefficients[i])} |");
        }

        Line(text);
    }

    private static void DataQuality(StringBuilder text, ReportInputs inputs)
    {
        Line(text, "## Data quality and stages");
        Line(text);
        Line(text, "| Measure | Value |");
        Line(text, "| --- | ---: |");
        Line(text, Invariant($"| Partitions profiled | {inputs.PartitionsProfiled} |"));
        Line(text, Invariant($"| Rows profiled | {inputs.RowsProfiled} |"));
        Line(text, Invariant($"| Rows with violations | {inputs.RowsWithViolations} |"));
        Line(text, Invariant($"| Rows quarantined | {inputs.Quarantined.Sum(partition => partition.Rows)} |"));
        Line(text, Invariant($"| Partitions with quarantined rows | {inputs.Quarantined.Count} |"));
        Line(text, Invariant($"| Training rows | {inputs.Model.TrainingRows} |"));
        Line(text, Invariant($"| Training dates | {inputs.Model.TrainingDates} |"));
        Line(text, Invariant($"| Holdout rows | {inputs.Metrics.Rows} |"));
        Line(text, Invariant($"| Holdout dates | {inputs.Metrics.HoldoutDates} |"));
        Line(text);
        if (inputs.RowsChartFile is not null)
        {
            Line(text, $"![Rows per month, kept and quarantined]({inputs.RowsChartFile})");
            Line(text);
        }
    }

    private static void Dag(StringBuilder text, IReadOnlyList<DagEdge> edges, IReadOnlyList<StageRunState> states)
    {
        Line(text, "## Pipeline");
        Line(text);
        Line(text, "```mermaid");
        Line(text, "flowchart LR");
        foreach (var state in states)
        {
            Line(text, $"    {state.Stage}[\"{state.Stage}<br/>{state.Caption}\"]");
        }

        foreach (var edge in edges)
        {
            Line(text, $"    {edge.From} --> {edge.To}");
        }

        if (states.Count > 0)
        {
            Line(text, "    classDef ran fill:#d3f0d8,stroke:#2d8a4e,color:#0b3d1c");
            Line(text, "    classDef skipped fill:#ececec,stroke:#8c8c8c,color:#4a4a4a");
            Line(text, "    classDef failed fill:#f9d4d4,stroke:#c62828,color:#5c0b0b");
            Line(text, "    classDef notrun fill:#ffffff,stroke:#b0b0b0,stroke-dasharray:4 3,color:#8c8c8c");
            foreach (var group in states.GroupBy(s => s.ClassName))
            {
                Line(text, $"    class {string.Join(",", group.Select(s => s.Stage))} {group.Key}");
            }
        }

        Line(text, "```");
        Line(text);
        if (states.Count > 0)
        {
            Line(text, "In the run that built this report: green ran, grey was up to date, red failed, dashed had not run yet.");
            Line(text);
        }
    }

    private static void Quarantine(StringBuilder text, IReadOnlyList<QuarantinedPartition> quarantined)
    {
        Line(text, "## Partitions with quarantined rows");
        Line(text);
        if (quarantined.Count == 0)
        {
            Line(text, "None.");
            return;
        }

        Line(text, "| Partition | Rows quarantined |");
        Line(text, "| --- | ---: |");
        foreach (var partition in quarantined.Take(QuarantineListLimit))
        {
            Line(text, Invariant($"| {Cell(partition.Partition)} | {partition.Rows} |"));
        }

        if (quarantined.Count > QuarantineListLimit)
        {
            Line(text);
            Line(text, Invariant($"… and {quarantined.Count - QuarantineListLimit} more."));
        }
    }

    private static string Fixed(double value)
    {
        var rounded = ModellingJson.Round(value, ModelDecimals);
        return rounded.ToString("F" + ModelDecimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Invariant(FormattableString value) => FormattableString.Invariant(value);

    // Append + '\n' rather than AppendLine, which would write the platform's line end.
    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
