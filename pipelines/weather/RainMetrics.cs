namespace Cairn.Pipelines.Weather;

/// <summary>
/// The content of metrics.json: how the model scores on the holdout rows. Scores are rounded to
/// <see cref="Decimals"/> decimals; a row is predicted rainy when its probability is at least 0.5.
/// </summary>
internal sealed record RainMetrics
{
    public const int Decimals = 6;

    public required double Accuracy { get; init; }

    public required double Auc { get; init; }

    public required double LogLoss { get; init; }

    public required long Rows { get; init; }

    public required long Positives { get; init; }

    public required DateRange HoldoutDates { get; init; }

    public required double HoldoutFraction { get; init; }

    public required MetricThresholds Thresholds { get; init; }
}
