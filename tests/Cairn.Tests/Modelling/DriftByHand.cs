namespace Cairn.Tests.Modelling;

/// <summary>
/// PSI and the Kolmogorov–Smirnov statistic written the slow, obvious way, to check the stage's implementation against:
/// edges by decimal arithmetic, bins by counting, the KS gap by evaluating both distributions at every value.
/// </summary>
internal static class DriftByHand
{
    public static double[] Edges(IEnumerable<double> training, int bins)
    {
        var sorted = training.ToArray();
        Array.Sort(sorted);
        var edges = new List<double>();
        for (var k = 1; k < bins; k++)
        {
            var rank = (int)Math.Ceiling((decimal)k * sorted.Length / bins);
            var edge = sorted[rank - 1];
            if (!edges.Contains(edge))
            {
                edges.Add(edge);
            }
        }

        return [.. edges];
    }

    /// <summary>Bin i holds the values with exactly i edges below them.</summary>
    public static int[] Counts(IEnumerable<double> values, double[] edges)
    {
        var counts = new int[edges.Length + 1];
        foreach (var value in values)
        {
            counts[edges.Count(edge => edge < value)]++;
        }

        return counts;
    }

    public static double Psi(IReadOnlyList<double> training, IReadOnlyList<double> recent, int bins)
    {
        var edges = Edges(training, bins);
        var t = Counts(training, edges);
        var r = Counts(recent, edges);
        return t.Select((count, i) =>
        {
            var expected = Math.Max((double)count / training.Count, 0.0001);
            var actual = Math.Max((double)r[i] / recent.Count, 0.0001);
            return (actual - expected) * Math.Log(actual / expected);
        }).Sum();
    }

    public static double Ks(IReadOnlyList<double> first, IReadOnlyList<double> second) =>
        first.Concat(second)
            .Select(x => Math.Abs(((double)first.Count(v => v <= x) / first.Count) - ((double)second.Count(v => v <= x) / second.Count)))
            .Max();
}
