using System.Text.Json;
using Cairn.Stages;
using Microsoft.Build.Framework;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// The Evaluate stage: scores model.json on the holdout dates of the features (the same split as Train,
/// see <see cref="HoldoutSplit"/>), writes metrics.json, and fails when a score breaches its threshold so
/// that a weak model is not packaged. When bound, it also writes the drift report (how far each feature of the recent
/// window moved from the training window: drift_report.md, its JSON twin and a chart; reported, never a gate) and the
/// model card (model_card.md, from the model, train_metrics.json, the scores, the drift and the inputs' lineage).
/// </summary>
/// <remarks>
/// Errors: CAIRN5001 a threshold is breached; CAIRN5002 model.json cannot be used; CAIRN5003 the holdout
/// cannot be scored; CAIRN5004 an invalid parameter or binding; CAIRN5005 the holdout overlaps the training dates;
/// CAIRN5006 the drift windows cannot be formed (no training dates, or a recent window reaching into them); CAIRN5007 train_metrics.json cannot be used;
/// CAIRN4004 a features file that cannot be read.
/// </remarks>
[StageVersion("2")] // Scoring, drift and the card live in helper types the IL hash of this class cannot see: bump on a change there.
public sealed partial class EvaluateRainModel : StageTask
{
    private const string Config = "config/evaluate.yaml";

    /// <summary>model.json written by <see cref="TrainRainModel"/>.</summary>
    [Required]
    [StageInput]
    public string Model { get; set; } = string.Empty;

    /// <summary>The features files the model was trained from; their last dates are the holdout.</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Features { get; set; } = [];

    /// <summary>train_metrics.json written by <see cref="TrainRainModel"/>, for the model card; needed when <see cref="ModelCard"/> is bound.</summary>
    [StageInput]
    public string TrainMetrics { get; set; } = string.Empty;

    [StageParameter]
    public double HoldoutFraction { get; set; } = 0.2;

    /// <summary>Defaults to 0.5, the AUC of guessing.</summary>
    [StageParameter]
    public double MinAuc { get; set; } = 0.5;

    /// <summary>Defaults to ln 2 (rounded), the log loss of predicting 0.5 for every row.</summary>
    [StageParameter]
    public double MaxLogLoss { get; set; } = 0.693147;

    [StageParameter]
    public double MinAccuracy { get; set; } = 0.5;

    /// <summary>Where metrics.json is written.</summary>
    [Required]
    [StageOutput]
    public string Metrics { get; set; } = string.Empty;

    /// <summary>Where model_card.md is written; none when empty.</summary>
    [StageOutput]
    public string ModelCard { get; set; } = string.Empty;

    [Output]
    [StageMetric]
    public double Accuracy { get; set; }

    [Output]
    [StageMetric]
    public double Auc { get; set; }

    [Output]
    [StageMetric]
    public double LogLoss { get; set; }

    [Output]
    [StageMetric]
    public long HoldoutRows { get; set; }

    public override bool Execute()
    {
        if (!ParametersAreValid() || ReadModel() is not { } model)
        {
            return false;
        }

        FeatureTable table;
        try
        {
            table = FeatureTable.Read(Features.Select(item => item.ItemSpec), model.Features, model.Label);
        }
        catch (FeatureFileException e)
        {
            LogCodedError("CAIRN4004", $"{e.Message}; fix the Features stage output, or retrain so model.json names the columns the features files have");
            return false;
        }

        if (table.Rows.Count == 0)
        {
            LogCodedError("CAIRN5003", "the selected partitions give no rows to evaluate the model on; select partitions that hold features with --from/--to");
            return false;
        }

        var split = HoldoutSplit.Of(table.Rows.Select(row => row.Date), HoldoutFraction);
        var holdoutDates = DateRange.Of(split.HoldoutDates);
        if (holdoutDates.From <= model.TrainingDates.To)
        {
            var fix = model.Parameters.HoldoutFraction == HoldoutFraction
                ? "evaluate the model on the partitions it was trained from (the same --from/--to)"
                : Invariant($"the model was trained with holdout_fraction {model.Parameters.HoldoutFraction} but evaluation uses {HoldoutFraction}: keep holdout_fraction identical in config/train.yaml and {Config}");
            LogCodedError("CAIRN5005", Invariant(
                $"the holdout starts on {holdoutDates.From:yyyy-MM-dd} but the model was trained on dates up to {model.TrainingDates.To:yyyy-MM-dd}, so it would be scored on rows it has already seen; {fix}"));
            return false;
        }

        var holdout = table.Rows.Where(row => split.IsHoldout(row.Date)).ToArray();
        var labels = holdout.Select(row => row.Label).ToArray();
        var positives = labels.Count(label => label);
        HoldoutRows = holdout.Length;
        if (positives == 0 || positives == holdout.Length)
        {
            LogCodedError("CAIRN5003", Invariant(
                $"the {holdout.Length} holdout rows ({holdoutDates}) all have {model.Label} = {(positives == 0 ? 0 : 1)}, so AUC is undefined; select more partitions with --from/--to, or raise holdout_fraction in config/train.yaml and {Config}"));
            return false;
        }

        if (Drift(model, table, split) is not { } drift)
        {
            return false;
        }

        var metrics = Score(model, holdout, labels, positives, holdoutDates);
        Accuracy = metrics.Accuracy;
        Auc = metrics.Auc;
        LogLoss = metrics.LogLoss;
        OutputText.Write(Metrics, ModellingJson.Serialize(metrics));
        Log.LogMessage(MessageImportance.Normal, Invariant(
            $"Evaluate: {holdout.Length} holdout rows ({holdoutDates}), {positives} with {model.Label} = 1: accuracy {metrics.Accuracy}, auc {metrics.Auc}, log_loss {metrics.LogLoss}"));
        WriteDrift(drift);
        if (!string.IsNullOrEmpty(ModelCard) && !WriteModelCard(model, metrics, drift))
        {
            return false;
        }

        ReportBreaches(metrics);
        return !Log.HasLoggedErrors;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private bool ParametersAreValid()
    {
        if (!HoldoutSplit.IsValidFraction(HoldoutFraction))
        {
            LogCodedError("CAIRN5004", Invariant($"holdout_fraction is {HoldoutFraction}; set it between 0 and 1 (both excluded) in {Config}, and the same value in config/train.yaml"));
        }

        if (MinAccuracy is not (>= 0 and <= 1))
        {
            LogCodedError("CAIRN5004", Invariant($"min_accuracy is {MinAccuracy}; set it between 0 and 1 in {Config}"));
        }

        if (MinAuc is not (>= 0 and <= 1))
        {
            LogCodedError("CAIRN5004", Invariant($"min_auc is {MinAuc}; set it between 0 and 1 in {Config}"));
        }

        if (!(MaxLogLoss > 0 && double.IsFinite(MaxLogLoss)))
        {
            LogCodedError("CAIRN5004", Invariant($"max_log_loss is {MaxLogLoss}; set it to a positive number in {Config}"));
        }

        DriftParametersAreValid();
        if (!string.IsNullOrEmpty(ModelCard) && string.IsNullOrEmpty(TrainMetrics))
        {
            LogCodedError("CAIRN5004", "ModelCard is bound but TrainMetrics is not, and the card shows the training metrics; bind TrainMetrics to the Train stage's train_metrics.json in the pipeline file");
        }

        return !Log.HasLoggedErrors;
    }

    private RainModel? ReadModel()
    {
        string? problem;
        RainModel? model = null;
        try
        {
            model = ModellingJson.Read<RainModel>(Model);
            problem = model.Inconsistency();
        }
        catch (JsonException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (IOException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (UnauthorizedAccessException e)
        {
            problem = e.Message.TrimEnd('.');
        }

        if (problem is null)
        {
            return model;
        }

        LogCodedError("CAIRN5002", $"model file '{Model}' cannot be used: {problem}; re-run the Train stage to write it again");
        return null;
    }

    private RainMetrics Score(RainModel model, FeatureRow[] holdout, bool[] labels, int positives, DateRange holdoutDates)
    {
        var probabilities = ModelScores.Probabilities(model, holdout);
        return new RainMetrics
        {
            Accuracy = ModellingJson.Round(ClassificationScores.Accuracy(probabilities, labels), RainMetrics.Decimals),
            Auc = ModellingJson.Round(ClassificationScores.Auc(probabilities, labels), RainMetrics.Decimals),
            LogLoss = ModellingJson.Round(ClassificationScores.LogLoss(probabilities, labels), RainMetrics.Decimals),
            Rows = holdout.Length,
            Positives = positives,
            HoldoutDates = holdoutDates,
            HoldoutFraction = HoldoutFraction,
            Thresholds = new MetricThresholds { MinAccuracy = MinAccuracy, MinAuc = MinAuc, MaxLogLoss = MaxLogLoss },
        };
    }

    private void ReportBreaches(RainMetrics metrics)
    {
        var where = Invariant($"on the {metrics.Rows} holdout rows ({metrics.HoldoutDates}); the model is not packaged. Improve it (config/train.yaml) or change");
        if (metrics.Accuracy < MinAccuracy)
        {
            LogCodedError("CAIRN5001", Invariant($"accuracy {metrics.Accuracy} is below min_accuracy {MinAccuracy} {where} min_accuracy in {Config}"));
        }

        if (metrics.Auc < MinAuc)
        {
            LogCodedError("CAIRN5001", Invariant($"auc {metrics.Auc} is below min_auc {MinAuc} {where} min_auc in {Config}"));
        }

        if (metrics.LogLoss > MaxLogLoss)
        {
            LogCodedError("CAIRN5001", Invariant($"log_loss {metrics.LogLoss} is above max_log_loss {MaxLogLoss} {where} max_log_loss in {Config}"));
        }
    }
}
