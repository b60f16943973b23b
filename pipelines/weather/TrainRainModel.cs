using Cairn.Stages;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Random;
using Microsoft.Build.Framework;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// The Train stage: fits an L2-penalized logistic regression that predicts rain from the features of the
/// training dates (every date before the holdout, see <see cref="HoldoutSplit"/>) and writes model.json; and, when
/// bound, train_metrics.json: the fit on the training rows, convergence, class balance and window (<see cref="TrainingMetrics"/>).
/// </summary>
/// <remarks>
/// Errors: CAIRN4001 too few training rows or a single class; CAIRN4002 the fit did not converge;
/// CAIRN4003 an invalid parameter; CAIRN4004 a features file that cannot be read; CAIRN4005 a constant feature.
/// </remarks>
[StageVersion("2")] // The fit lives in helper types the IL hash of this class cannot see: bump on a change there.
public sealed class TrainRainModel : StageTask
{
    private const string Config = "config/train.yaml";

    // Small enough that the start is near the origin, large enough that the seed changes where Newton starts.
    private const double InitialScale = 0.01;

    /// <summary>The features files (one per date partition) to train on; the holdout dates among them are left out.</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Features { get; set; } = [];

    [StageParameter]
    public string[] FeatureColumns { get; set; } = ["temp_max", "temp_min", "temp_range", "wind", "doy_sin", "doy_cos"];

    [StageParameter]
    public string Label { get; set; } = "rain";

    [StageParameter]
    public double L2 { get; set; } = 1.0;

    [StageParameter]
    public int MaxIterations { get; set; } = 50;

    [StageParameter]
    public double Tolerance { get; set; } = 1e-8;

    [StageParameter]
    public int Seed { get; set; } = 42;

    [StageParameter]
    public double HoldoutFraction { get; set; } = 0.2;

    [StageParameter]
    public int MinTrainingRows { get; set; } = 30;

    /// <summary>Where model.json is written.</summary>
    [Required]
    [StageOutput]
    public string Model { get; set; } = string.Empty;

    /// <summary>Where train_metrics.json is written; none when empty.</summary>
    [StageOutput]
    public string TrainMetrics { get; set; } = string.Empty;

    [Output]
    [StageMetric]
    public long RowsIn { get; set; }

    [Output]
    [StageMetric]
    public long TrainingRows { get; set; }

    [Output]
    [StageMetric]
    public long Iterations { get; set; }

    public override bool Execute()
    {
        if (!ParametersAreValid())
        {
            return false;
        }

        FeatureTable table;
        try
        {
            table = FeatureTable.Read(Features.Select(item => item.ItemSpec), FeatureColumns, Label);
        }
        catch (FeatureFileException e)
        {
            LogCodedError("CAIRN4004", $"{e.Message}; fix the Features stage output, or feature_columns and label in {Config}");
            return false;
        }

        RowsIn = table.Rows.Count;
        var split = HoldoutSplit.Of(table.Rows.Select(row => row.Date), HoldoutFraction);
        var training = table.Rows.Where(row => !split.IsHoldout(row.Date)).ToArray();
        TrainingRows = training.Length;
        if (!HasEnoughTrainingRows(table, split, training))
        {
            return false;
        }

        var (means, stds) = StandardizedDesign.Moments(training, FeatureColumns.Length);
        for (var i = 0; i < FeatureColumns.Length; i++)
        {
            if (StandardizedDesign.IsConstant(means[i], stds[i]))
            {
                LogCodedError("CAIRN4005", Invariant($"feature '{FeatureColumns[i]}' has the same value {means[i]} in all {training.Length} training rows, so it cannot be standardized; remove it from feature_columns in {Config}"));
            }
        }

        if (Log.HasLoggedErrors)
        {
            return false;
        }

        var start = Vector<double>.Build.Random(FeatureColumns.Length + 1, new Normal(0, InitialScale, new MersenneTwister(Seed, threadSafe: false)));
        var fit = LogisticRegressionFit.Fit(
            StandardizedDesign.Build(training, means, stds), StandardizedDesign.Labels(training), start, L2, MaxIterations, Tolerance, ThrowIfCancelled);
        Iterations = fit.Iterations;
        if (!fit.Converged)
        {
            LogCodedError("CAIRN4002", NonConvergenceMessage(fit));
            return false;
        }

        var model = ModelOf(training, split, means, stds, fit);
        OutputText.Write(Model, ModellingJson.Serialize(model));
        if (!string.IsNullOrEmpty(TrainMetrics))
        {
            OutputText.Write(TrainMetrics, ModellingJson.Serialize(MetricsOf(model, training, table, fit)));
        }

        Log.LogMessage(MessageImportance.Normal, Invariant(
            $"Train: {training.Length} training rows on {model.TrainingDates.Dates} dates ({model.TrainingDates}), {split.HoldoutDates.Count} later dates held out; converged in {fit.Iterations} iterations"));
        return !Log.HasLoggedErrors;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private bool ParametersAreValid()
    {
        if (FeatureColumns.Length == 0)
        {
            LogCodedError("CAIRN4003", $"feature_columns is empty; list at least one numeric column of the features files in {Config}");
        }

        foreach (var duplicate in FeatureColumns.GroupBy(column => column, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            LogCodedError("CAIRN4003", $"feature_columns lists '{duplicate.Key}' {duplicate.Count()} times; list each column once in {Config}");
        }

        if (string.IsNullOrWhiteSpace(Label))
        {
            LogCodedError("CAIRN4003", $"label is empty; name the 0/1 column to predict in {Config}");
        }
        else if (FeatureColumns.Contains(Label, StringComparer.Ordinal))
        {
            LogCodedError("CAIRN4003", $"label '{Label}' is also listed in feature_columns, so the model would read the answer; remove it from feature_columns in {Config}");
        }

        if (!(L2 >= 0 && double.IsFinite(L2)))
        {
            LogCodedError("CAIRN4003", Invariant($"l2 is {L2}; set it to 0 or a positive number in {Config}"));
        }

        if (MaxIterations < 1)
        {
            LogCodedError("CAIRN4003", Invariant($"max_iterations is {MaxIterations}; set it to 1 or more in {Config}"));
        }

        if (!(Tolerance > 0 && double.IsFinite(Tolerance)))
        {
            LogCodedError("CAIRN4003", Invariant($"tolerance is {Tolerance}; set it to a positive number in {Config}"));
        }

        if (!HoldoutSplit.IsValidFraction(HoldoutFraction))
        {
            LogCodedError("CAIRN4003", Invariant($"holdout_fraction is {HoldoutFraction}; set it between 0 and 1 (both excluded) in {Config}, and the same value in config/evaluate.yaml"));
        }

        if (MinTrainingRows < 1)
        {
            LogCodedError("CAIRN4003", Invariant($"min_training_rows is {MinTrainingRows}; set it to 1 or more in {Config}"));
        }

        return !Log.HasLoggedErrors;
    }

    private bool HasEnoughTrainingRows(FeatureTable table, HoldoutSplit split, FeatureRow[] training)
    {
        if (training.Length == 0 || training.Length < MinTrainingRows)
        {
            LogCodedError("CAIRN4001", Invariant(
                $"the selected partitions give {table.Rows.Count} rows on {split.TrainingDates.Count + split.HoldoutDates.Count} dates; after holding out the last {split.HoldoutDates.Count} dates for evaluation, {training.Length} rows are left for training but min_training_rows is {MinTrainingRows}; select more partitions with --from/--to, or lower min_training_rows in {Config}"));
            return false;
        }

        var positives = training.Count(row => row.Label);
        if (positives == 0 || positives == training.Length)
        {
            LogCodedError("CAIRN4001", Invariant(
                $"the selected partitions give {training.Length} training rows and all of them have {Label} = {(positives == 0 ? 0 : 1)}, so there is nothing to tell apart; select more partitions with --from/--to so that both {Label} = 0 and {Label} = 1 occur"));
            return false;
        }

        return true;
    }

    private string NonConvergenceMessage(LogisticFit fit) => fit.Singular
        ? Invariant($"logistic regression did not converge: at iteration {fit.Iterations} of max_iterations {MaxIterations} (tolerance {Tolerance}) the Newton system became singular, as it does when classes are perfectly separable or features collinear; raise l2 (now {L2}) in {Config}")
        : Invariant($"logistic regression did not converge within max_iterations {MaxIterations}: the last step still changed a coefficient by {fit.LastStep:G3}, above tolerance {Tolerance}; raise max_iterations or tolerance in {Config}");

    private RainModel ModelOf(FeatureRow[] training, HoldoutSplit split, double[] means, double[] stds, LogisticFit fit) => new()
    {
        Kind = RainModel.LogisticRegression,
        Label = Label,
        Features = FeatureColumns,
        Means = Rounded(means),
        Stds = Rounded(stds),
        Intercept = ModellingJson.Round(fit.Coefficients[0], RainModel.Decimals),
        Coefficients = Rounded(fit.Coefficients.Skip(1)),
        Iterations = fit.Iterations,
        Converged = fit.Converged,
        TrainingRows = training.Length,
        TrainingDates = DateRange.Of(split.TrainingDates),
        Parameters = new RainModelParameters
        {
            L2 = L2,
            MaxIterations = MaxIterations,
            Tolerance = Tolerance,
            Seed = Seed,
            HoldoutFraction = HoldoutFraction,
            MinTrainingRows = MinTrainingRows,
        },
    };

    private TrainingMetrics MetricsOf(RainModel model, FeatureRow[] training, FeatureTable table, LogisticFit fit)
    {
        var probabilities = ModelScores.Probabilities(model, training);
        var labels = training.Select(row => row.Label).ToArray();
        var positives = labels.Count(label => label);
        var last = model.TrainingDates.To;
        return new TrainingMetrics
        {
            Label = Label,
            TrainingDates = model.TrainingDates,
            TrainingPartitions = table.Sources.Count(source => source.FirstDate <= last),
            Rows = training.Length,
            Positives = positives,
            Negatives = training.Length - positives,
            PositiveRate = ModellingJson.Round((double)positives / training.Length, RainMetrics.Decimals),
            Accuracy = ModellingJson.Round(ClassificationScores.Accuracy(probabilities, labels), RainMetrics.Decimals),
            Auc = ModellingJson.Round(ClassificationScores.Auc(probabilities, labels), RainMetrics.Decimals),
            LogLoss = ModellingJson.Round(ClassificationScores.LogLoss(probabilities, labels), RainMetrics.Decimals),
            Iterations = fit.Iterations,
            MaxIterations = MaxIterations,
            Converged = fit.Converged,
            FinalStep = ModellingJson.RoundSignificant(fit.LastStep, TrainingMetrics.FinalStepDigits),
            Tolerance = Tolerance,
        };
    }

    private static double[] Rounded(IEnumerable<double> values) => values.Select(value => ModellingJson.Round(value, RainModel.Decimals)).ToArray();
}
