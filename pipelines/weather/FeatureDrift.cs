namespace Cairn.Pipelines.Weather;

/// <summary>One feature's shift between the training and the recent window, as written to drift_report.json.</summary>
internal sealed record FeatureDrift
{
    public required string Feature { get; init; }

    /// <summary><see cref="DriftFlags.Stable"/>, <see cref="DriftFlags.Warn"/> or <see cref="DriftFlags.Alert"/>.</summary>
    public required string Flag { get; init; }

    public required double Psi { get; init; }

    public required double Ks { get; init; }

    public required double TrainingMean { get; init; }

    public required double RecentMean { get; init; }

    public required IReadOnlyList<DriftBin> Bins { get; init; }
}
