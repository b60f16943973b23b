using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Statistics;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// Builds the design matrix of a logistic regression from feature rows: a leading column of ones for the
/// intercept, then each feature standardized as (x − mean) / std.
/// </summary>
internal static class StandardizedDesign
{
    /// <summary>The mean and population standard deviation of each feature column over <paramref name="rows"/>.</summary>
    public static (double[] Means, double[] Stds) Moments(IReadOnlyList<FeatureRow> rows, int featureCount)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var means = new double[featureCount];
        var stds = new double[featureCount];
        for (var column = 0; column < featureCount; column++)
        {
            var values = rows.Select(row => row.Values[column]).ToArray();
            means[column] = ArrayStatistics.Mean(values);
            stds[column] = ArrayStatistics.PopulationStandardDeviation(values);
        }

        return (means, stds);
    }

    /// <summary>True when a column's spread is indistinguishable from rounding noise around its mean.</summary>
    public static bool IsConstant(double mean, double std) => std <= 1e-12 * Math.Max(1, Math.Abs(mean));

    public static Matrix<double> Build(IReadOnlyList<FeatureRow> rows, IReadOnlyList<double> means, IReadOnlyList<double> stds)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(stds);
        return Matrix<double>.Build.Dense(
            rows.Count,
            means.Count + 1,
            (row, column) => column == 0 ? 1 : (rows[row].Values[column - 1] - means[column - 1]) / stds[column - 1]);
    }

    public static Vector<double> Labels(IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Vector<double>.Build.Dense(rows.Count, row => rows[row].Label ? 1 : 0);
    }
}
