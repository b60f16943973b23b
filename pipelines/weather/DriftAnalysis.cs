namespace Cairn.Pipelines.Weather;

/// <summary>Builds the drift report of every feature from the rows of the two windows.</summary>
internal static class DriftAnalysis
{
    public static RainDrift Compare(
        IReadOnlyList<string> features,
        IReadOnlyList<FeatureRow> training,
        IReadOnlyList<FeatureRow> recent,
        DriftWindowRange trainingWindow,
        DriftWindowRange recentWindow,
        int bins,
        DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(recent);
        ArgumentNullException.ThrowIfNull(thresholds);
        var drifts = new List<FeatureDrift>();
        for (var column = 0; column < features.Count; column++)
        {
            var reference = training.Select(row => row.Values[column]).Order().ToArray();
            var current = recent.Select(row => row.Values[column]).Order().ToArray();
            var edges = DriftMeasures.QuantileEdges(reference, bins);
            var trainingCounts = DriftMeasures.Counts(reference, edges);
            var recentCounts = DriftMeasures.Counts(current, edges);
            var psi = Round(DriftMeasures.Psi(trainingCounts, recentCounts));
            var ks = Round(DriftMeasures.KolmogorovSmirnov(reference, current));
            drifts.Add(new FeatureDrift
            {
                Feature = features[column],
                Flag = thresholds.FlagOf(psi, ks),
                Psi = psi,
                Ks = ks,
                TrainingMean = Round(reference.Average()),
                RecentMean = Round(current.Average()),
                Bins = [.. trainingCounts.Select((count, i) => new DriftBin
                {
                    Lower = i == 0 ? null : edges[i - 1],
                    Upper = i == edges.Length ? null : edges[i],
                    Training = count,
                    Recent = recentCounts[i],
                })],
            });
        }

        return new RainDrift
        {
            TrainingWindow = trainingWindow,
            RecentWindow = recentWindow,
            Bins = bins,
            Epsilon = DriftMeasures.Epsilon,
            Thresholds = thresholds,
            Alerts = drifts.Count(drift => drift.Flag == DriftFlags.Alert),
            Warnings = drifts.Count(drift => drift.Flag == DriftFlags.Warn),
            Features = drifts,
        };
    }

    private static double Round(double value) => ModellingJson.Round(value, RainDrift.Decimals);
}
