using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Cairn.Pipelines.Weather;

/// <summary>The probabilities a model as written to model.json gives rows, so training and holdout are scored the same way.</summary>
internal static class ModelScores
{
    public static double[] Probabilities(RainModel model, IReadOnlyList<FeatureRow> rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        var coefficients = Vector<double>.Build.DenseOfEnumerable(model.Coefficients.Prepend(model.Intercept));
        return (StandardizedDesign.Build(rows, model.Means, model.Stds) * coefficients).Map(SpecialFunctions.Logistic).ToArray();
    }
}
