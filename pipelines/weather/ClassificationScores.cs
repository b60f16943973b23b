using MathNet.Numerics.Statistics;

namespace Cairn.Pipelines.Weather;

/// <summary>Scores of predicted probabilities against 0/1 labels. Needs at least one label of each class.</summary>
internal static class ClassificationScores
{
    /// <summary>Probabilities are clipped to [ε, 1 − ε] so a confident miss costs a large but finite log loss.</summary>
    public const double LogLossEpsilon = 1e-15;

    public const double DecisionThreshold = 0.5;

    public static double Accuracy(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var correct = probabilities.Where((probability, i) => probability >= DecisionThreshold == labels[i]).Count();
        return (double)correct / probabilities.Count;
    }

    /// <summary>
    /// Area under the ROC curve from the Mann–Whitney U statistic: the chance that a random positive scores
    /// above a random negative, with tied scores counted as half (average ranks).
    /// </summary>
    public static double Auc(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        var ranks = Statistics.Ranks(probabilities, RankDefinition.Average);
        double positives = labels.Count(label => label);
        var negatives = labels.Count - positives;
        var positiveRankSum = ranks.Where((rank, i) => labels[i]).Sum();
        return (positiveRankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    public static double LogLoss(IReadOnlyList<double> probabilities, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        return -probabilities
            .Select((probability, i) =>
            {
                var clipped = Math.Clamp(probability, LogLossEpsilon, 1 - LogLossEpsilon);
                return labels[i] ? Math.Log(clipped) : Math.Log(1 - clipped);
            })
            .Average();
    }
}
