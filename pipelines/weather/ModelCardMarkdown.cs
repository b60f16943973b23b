using System.Text;
using static Cairn.Pipelines.Weather.MarkdownLines;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// Renders model_card.md: intended use, data windows, features, training and evaluation metrics with their thresholds,
/// drift, parameters, lineage, and an Approvals section that says there are none (the Package stage fills in the package's copy).
/// </summary>
internal static class ModelCardMarkdown
{
    public const int Decimals = 4;

    private const string ContentHashName = "XXH3-128";

    public static string Render(ModelCardInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var text = new StringBuilder();
        var model = inputs.Model;
        Line(text, "# Model card: rain model of the weather pipeline");
        Line(text);
        // The sample's Clean stage derives rain from precipitation; a label configured otherwise is named as it is.
        var meaning = model.Label == "rain" ? " (1 when the day's precipitation is above 0)" : string.Empty;
        Line(text, Invariant($"A logistic regression that predicts `{model.Label}`{meaning} from {model.Features.Count} features of the same day's weather. It describes model.json with {ContentHashName} `{inputs.ModelHash}`, packaged beside it."));
        Line(text);
        IntendedUse(text);
        DataWindow(text, inputs);
        Features(text, inputs);
        Training(text, inputs.Training);
        Evaluation(text, inputs.Evaluation);
        Drift(text, inputs.Drift);
        Parameters(text, inputs);
        Lineage(text, inputs);
        Approvals(text);
        return text.ToString();
    }

    private static void IntendedUse(StringBuilder text)
    {
        Line(text, "## Intended use");
        Line(text);
        Line(text, "- **For**: showing how the Cairn sample pipeline trains, evaluates, reports and packages a model: whether it rained on a day in Seattle, given that day's temperatures, wind and time of year.");
        Line(text, "- **Not for**: forecasting (the features are the day's own observations, known only once the day is over), other places or climates, or any decision that matters. Its quality is known only on the holdout below.");
        Line(text);
    }

    private static void DataWindow(StringBuilder text, ModelCardInputs inputs)
    {
        Line(text, "## Data window");
        Line(text);
        Line(text, "| Window | From | To | Dates | Rows |");
        Line(text, "| --- | --- | --- | ---: | ---: |");
        var training = inputs.Training;
        Line(text, Invariant($"| Training | {training.TrainingDates.From:yyyy-MM-dd} | {training.TrainingDates.To:yyyy-MM-dd} | {training.TrainingDates.Dates} | {training.Rows} |"));
        var holdout = inputs.Evaluation;
        Line(text, Invariant($"| Holdout (evaluation) | {holdout.HoldoutDates.From:yyyy-MM-dd} | {holdout.HoldoutDates.To:yyyy-MM-dd} | {holdout.HoldoutDates.Dates} | {holdout.Rows} |"));
        var recent = inputs.Drift.RecentWindow;
        Line(text, Invariant($"| Recent, for drift ({DriftMarkdown.RecentName(recent)}) | {recent.From:yyyy-MM-dd} | {recent.To:yyyy-MM-dd} | {recent.Dates} | {recent.Rows} |"));
        Line(text);
        Line(text, Invariant($"The training rows come from {training.TrainingPartitions} partitions. The holdout is the last {holdout.HoldoutDates.Dates} of the {training.TrainingDates.Dates + holdout.HoldoutDates.Dates} dates (holdout_fraction {holdout.HoldoutFraction}); the model never saw them."));
        Line(text);
    }

    private static void Features(StringBuilder text, ModelCardInputs inputs)
    {
        var model = inputs.Model;
        Line(text, "## Features");
        Line(text);
        Line(text, "| Feature | Mean | Std | Coefficient | Drift | PSI | KS |");
        Line(text, "| --- | ---: | ---: | ---: | --- | ---: | ---: |");
        for (var i = 0; i < model.Features.Count; i++)
        {
            var drift = inputs.Drift.Features.FirstOrDefault(f => f.Feature == model.Features[i]);
            var driftCells = drift is null ? "| | |" : $"{drift.Flag} | {Fixed(drift.Psi, Decimals)} | {Fixed(drift.Ks, Decimals)} |";
            Line(text, $"| {Cell(model.Features[i])} | {Fixed(model.Means[i], Decimals)} | {Fixed(model.Stds[i], Decimals)} | {Fixed(model.Coefficients[i], Decimals)} | {driftCells}");
        }

        Line(text, $"| (intercept) | | | {Fixed(model.Intercept, Decimals)} | | | |");
        Line(text);
        Line(text, Invariant($"Coefficients apply to standardized features, (x − mean) / std, with the training rows' mean and std; a row is predicted {model.Label} = 1 when its probability is at least {ClassificationScores.DecisionThreshold}."));
        Line(text);
    }

    private static void Training(StringBuilder text, TrainingMetrics training)
    {
        Line(text, Invariant($"## Training metrics (the {training.Rows} training rows)"));
        Line(text);
        Line(text, "| Measure | Value |");
        Line(text, "| --- | ---: |");
        Line(text, Invariant($"| Accuracy | {training.Accuracy} |"));
        Line(text, Invariant($"| AUC | {training.Auc} |"));
        Line(text, Invariant($"| Log loss | {training.LogLoss} |"));
        Line(text, Invariant($"| Rows with {training.Label} = 1 | {training.Positives} ({Fixed(training.PositiveRate * 100, 2)} %) |"));
        Line(text, Invariant($"| Rows with {training.Label} = 0 | {training.Negatives} |"));
        Line(text, Invariant($"| Newton iterations | {training.Iterations} of at most {training.MaxIterations} |"));
        Line(text, Invariant($"| Converged | {(training.Converged ? "yes" : "no")}: last step {training.FinalStep:G3}, tolerance {training.Tolerance:G3} |"));
        Line(text);
        Line(text, "Scores on the rows the model was fitted on are optimistic; the holdout below is the honest measure.");
        Line(text);
    }

    private static void Evaluation(StringBuilder text, RainMetrics metrics)
    {
        Line(text, Invariant($"## Evaluation metrics (the {metrics.Rows} holdout rows) and thresholds"));
        Line(text);
        Line(text, "| Metric | Value | Threshold | Result |");
        Line(text, "| --- | ---: | --- | --- |");
        var thresholds = metrics.Thresholds;
        Line(text, Invariant($"| Accuracy | {metrics.Accuracy} | ≥ {thresholds.MinAccuracy} | {Result(metrics.Accuracy >= thresholds.MinAccuracy)} |"));
        Line(text, Invariant($"| AUC | {metrics.Auc} | ≥ {thresholds.MinAuc} | {Result(metrics.Auc >= thresholds.MinAuc)} |"));
        Line(text, Invariant($"| Log loss | {metrics.LogLoss} | ≤ {thresholds.MaxLogLoss} | {Result(metrics.LogLoss <= thresholds.MaxLogLoss)} |"));
        Line(text);
        Line(text, Invariant($"{metrics.Positives} of the {metrics.Rows} holdout rows are rainy. These thresholds are a gate: a model that misses one fails the Evaluate stage and is not packaged."));
        Line(text);
    }

    private static string Result(bool passed) => passed ? "pass" : "FAIL";

    private static void Drift(StringBuilder text, RainDrift drift)
    {
        Line(text, "## Drift");
        Line(text);
        Line(text, Invariant($"The training window against {DriftMarkdown.RecentName(drift.RecentWindow)} ({drift.RecentWindow.From:yyyy-MM-dd}..{drift.RecentWindow.To:yyyy-MM-dd}). {DriftMarkdown.Summary(drift)}"));
        Line(text);
        var thresholds = drift.Thresholds;
        Line(text, Invariant($"A feature warns at PSI ≥ {thresholds.PsiWarn} and alerts at PSI ≥ {thresholds.PsiAlert} or KS ≥ {thresholds.KsAlert} ({drift.Bins} quantile bins of the training window). Drift is reported, not a gate: it does not stop the model from being packaged. The bins and every number are in drift_report.json, packaged beside this card."));
        Line(text);
    }

    private static void Parameters(StringBuilder text, ModelCardInputs inputs)
    {
        var p = inputs.Model.Parameters;
        var thresholds = inputs.Evaluation.Thresholds;
        var drift = inputs.Drift;
        Line(text, "## Parameters");
        Line(text);
        Line(text, "| Parameter | Value | Set in |");
        Line(text, "| --- | --- | --- |");
        Line(text, $"| feature_columns | {Cell(string.Join(", ", inputs.Model.Features))} | config/train.yaml |");
        Line(text, $"| label | {Cell(inputs.Model.Label)} | config/train.yaml |");
        Line(text, Invariant($"| l2 | {p.L2} | config/train.yaml |"));
        Line(text, Invariant($"| max_iterations | {p.MaxIterations} | config/train.yaml |"));
        Line(text, Invariant($"| tolerance | {p.Tolerance} | config/train.yaml |"));
        Line(text, Invariant($"| seed | {p.Seed} | config/train.yaml |"));
        Line(text, Invariant($"| holdout_fraction | {p.HoldoutFraction} | config/train.yaml, config/evaluate.yaml |"));
        Line(text, Invariant($"| min_training_rows | {p.MinTrainingRows} | config/train.yaml |"));
        Line(text, Invariant($"| min_accuracy | {thresholds.MinAccuracy} | config/evaluate.yaml |"));
        Line(text, Invariant($"| min_auc | {thresholds.MinAuc} | config/evaluate.yaml |"));
        Line(text, Invariant($"| max_log_loss | {thresholds.MaxLogLoss} | config/evaluate.yaml |"));
        Line(text, Invariant($"| drift_window | {drift.RecentWindow.Definition} | config/evaluate.yaml |"));
        Line(text, Invariant($"| drift_bins | {drift.Bins} | config/evaluate.yaml |"));
        Line(text, Invariant($"| drift_psi_warn | {drift.Thresholds.PsiWarn} | config/evaluate.yaml |"));
        Line(text, Invariant($"| drift_psi_alert | {drift.Thresholds.PsiAlert} | config/evaluate.yaml |"));
        Line(text, Invariant($"| drift_ks_alert | {drift.Thresholds.KsAlert} | config/evaluate.yaml |"));
        Line(text);
    }

    private static void Lineage(StringBuilder text, ModelCardInputs inputs)
    {
        var lineage = inputs.Lineage;
        Line(text, "## Lineage");
        Line(text);
        Line(text, "| Input | Value |");
        Line(text, "| --- | --- |");
        Line(text, Invariant($"| Features files (partitions) | {lineage.Partitions}, {lineage.First} … {lineage.Last} |"));
        Line(text, Invariant($"| Hash of the features files | {ContentHashName} `{lineage.Hash}` |"));
        Line(text, Invariant($"| model.json | {ContentHashName} `{inputs.ModelHash}` |"));
        Line(text);
        Line(text, "The hash of the features files is taken over the sorted lines `<partition>/<file> <hash of the file>`, so it names the data wherever the workspace lies; the package's manifest.json lists each file's hash.");
        Line(text);
    }

    private static void Approvals(StringBuilder text)
    {
        Line(text, "## Approvals");
        Line(text);
        Line(text, "None: the model passed its gates on its own. When a person approves a model a gate stopped (a review), the package's copy of this card lists the approval here: the review, who approved it, when and why.");
    }
}
