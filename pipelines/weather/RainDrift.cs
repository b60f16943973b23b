namespace Cairn.Pipelines.Weather;

/// <summary>
/// The content of drift_report.json: per feature, PSI and the Kolmogorov–Smirnov statistic between the training
/// window and the recent window, flagged against the thresholds. Values are rounded to <see cref="Decimals"/>
/// decimals and the flags are decided on the rounded values, so the numbers a reader sees give the same flags.
/// The flags are reported, never a gate.
/// </summary>
internal sealed record RainDrift
{
    public const int Decimals = 6;

    public required DriftWindowRange TrainingWindow { get; init; }

    public required DriftWindowRange RecentWindow { get; init; }

    /// <summary>The number of quantile bins asked for; a feature with tied values may have fewer.</summary>
    public required int Bins { get; init; }

    public required double Epsilon { get; init; }

    public required DriftThresholds Thresholds { get; init; }

    public required int Alerts { get; init; }

    public required int Warnings { get; init; }

    public required IReadOnlyList<FeatureDrift> Features { get; init; }
}
