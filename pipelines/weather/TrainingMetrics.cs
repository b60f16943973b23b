namespace Cairn.Pipelines.Weather;

/// <summary>
/// The content of train_metrics.json: how the model as written to model.json fits the rows it was trained on, how the
/// fit converged, the class balance and the training window. Scores are rounded to <see cref="RainMetrics.Decimals"/>
/// decimals and computed with the rounded coefficients of model.json, so they describe exactly the model that is packaged.
/// </summary>
internal sealed record TrainingMetrics
{
    public required string Label { get; init; }

    public required DateRange TrainingDates { get; init; }

    /// <summary>Features files (partitions) that hold at least one training row.</summary>
    public required int TrainingPartitions { get; init; }

    public required long Rows { get; init; }

    public required long Positives { get; init; }

    public required long Negatives { get; init; }

    /// <summary>Positives / rows, rounded like the scores.</summary>
    public required double PositiveRate { get; init; }

    public required double Accuracy { get; init; }

    public required double Auc { get; init; }

    public required double LogLoss { get; init; }

    public required int Iterations { get; init; }

    public required int MaxIterations { get; init; }

    public required bool Converged { get; init; }

    /// <summary>The largest coefficient change of the last Newton step, to <see cref="FinalStepDigits"/> significant digits.</summary>
    public required double FinalStep { get; init; }

    public required double Tolerance { get; init; }

    public const int FinalStepDigits = 3;
}
