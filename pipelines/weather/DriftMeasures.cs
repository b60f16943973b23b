namespace Cairn.Pipelines.Weather;

/// <summary>
/// The two numbers the drift report gives per feature: the population stability index (PSI) over quantile bins of the
/// training window, and the two-sample Kolmogorov–Smirnov statistic. MathNet.Numerics 5.0.0 has neither (nor a KS
/// test with a p-value), so they are written here, each in a few lines.
/// </summary>
internal static class DriftMeasures
{
    /// <summary>A bin's share of a window below this (an empty bin) counts as this, so PSI's logarithm stays finite.</summary>
    public const double Epsilon = 0.0001;

    /// <summary>
    /// The upper edges of <paramref name="bins"/> quantile bins of the sorted training values: the nearest-rank quantile
    /// at k / bins for k = 1 … bins − 1 (the ⌈k·n / bins⌉-th smallest value), repeated edges merged, so tied values
    /// give fewer bins. Integer arithmetic, because k / bins in floating point puts a rank on the wrong side of a whole
    /// number (0.3 × 1000 is not 300).
    /// </summary>
    public static double[] QuantileEdges(IReadOnlyList<double> sortedTraining, int bins)
    {
        ArgumentNullException.ThrowIfNull(sortedTraining);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        ArgumentOutOfRangeException.ThrowIfZero(sortedTraining.Count);
        var n = (long)sortedTraining.Count;
        var edges = new List<double>();
        for (var k = 1L; k < bins; k++)
        {
            var rank = ((k * n) + bins - 1) / bins;
            var edge = sortedTraining[(int)Math.Max(rank, 1) - 1];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        return [.. edges];
    }

    /// <summary>
    /// How many values fall in each bin: bin i holds the values above edge i − 1 up to and including edge i; the first
    /// has no lower edge and the last (index edges.Length) no upper one.
    /// </summary>
    public static int[] Counts(IEnumerable<double> values, IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(edges);
        var counts = new int[edges.Count + 1];
        foreach (var value in values)
        {
            counts[BinOf(value, edges)]++;
        }

        return counts;
    }

    /// <summary>PSI = Σ (r − t) × ln(r / t) over the bins, t and r the training and recent shares of a bin (at least <see cref="Epsilon"/>).</summary>
    public static double Psi(IReadOnlyList<int> trainingCounts, IReadOnlyList<int> recentCounts)
    {
        ArgumentNullException.ThrowIfNull(trainingCounts);
        ArgumentNullException.ThrowIfNull(recentCounts);
        double trainingTotal = trainingCounts.Sum();
        double recentTotal = recentCounts.Sum();
        var psi = 0.0;
        for (var i = 0; i < trainingCounts.Count; i++)
        {
            var t = Math.Max(trainingCounts[i] / trainingTotal, Epsilon);
            var r = Math.Max(recentCounts[i] / recentTotal, Epsilon);
            psi += (r - t) * Math.Log(r / t);
        }

        return psi;
    }

    /// <summary>The largest gap between the empirical cumulative distributions of two sorted samples, sup |F₁(x) − F₂(x)|.</summary>
    public static double KolmogorovSmirnov(IReadOnlyList<double> sortedFirst, IReadOnlyList<double> sortedSecond)
    {
        ArgumentNullException.ThrowIfNull(sortedFirst);
        ArgumentNullException.ThrowIfNull(sortedSecond);
        double n = sortedFirst.Count;
        double m = sortedSecond.Count;
        int i = 0, j = 0;
        var gap = 0.0;
        // Step both distributions past every value equal to the smaller head, so ties move both before the gap is read.
        while (i < sortedFirst.Count && j < sortedSecond.Count)
        {
            var x = Math.Min(sortedFirst[i], sortedSecond[j]);
            while (i < sortedFirst.Count && sortedFirst[i] <= x)
            {
                i++;
            }

            while (j < sortedSecond.Count && sortedSecond[j] <= x)
            {
                j++;
            }

            gap = Math.Max(gap, Math.Abs((i / n) - (j / m)));
        }

        return gap;
    }

    private static int BinOf(double value, IReadOnlyList<double> edges)
    {
        // The number of edges strictly below the value: a value equal to an edge belongs to the bin that edge closes.
        int low = 0, high = edges.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (edges[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
