using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// L2-penalized logistic regression fitted by Newton's method (iteratively reweighted least squares).
/// It minimizes Σ log-loss + (l2 / 2) × ‖β‖², where the intercept (the design matrix's first column,
/// all ones) is not penalized. Each step solves (XᵀWX + l2·P) Δ = Xᵀ(p − y) + l2·P·β by Cholesky
/// factorization; the fit has converged when the largest coefficient change is below the tolerance.
/// </summary>
internal static class LogisticRegressionFit
{
    public static LogisticFit Fit(Matrix<double> design, Vector<double> labels, Vector<double> start, double l2, int maxIterations, double tolerance, Action? throwIfCancelled = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(start);
        var penalty = Matrix<double>.Build.DiagonalOfDiagonalVector(
            Vector<double>.Build.Dense(design.ColumnCount, column => column == 0 ? 0 : l2));
        var beta = start.Clone();
        var lastStep = double.PositiveInfinity;
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            throwIfCancelled?.Invoke();
            var probabilities = (design * beta).Map(SpecialFunctions.Logistic);
            var weights = Matrix<double>.Build.DiagonalOfDiagonalVector(probabilities.Map(p => p * (1 - p)));
            var gradient = design.TransposeThisAndMultiply(probabilities - labels) + penalty * beta;
            var hessian = design.TransposeThisAndMultiply(weights * design) + penalty;
            Vector<double> step;
            try
            {
                step = hessian.Cholesky().Solve(gradient);
            }
            catch (ArgumentException)
            {
                // MathNet reports a Hessian that is not positive definite this way: without a penalty,
                // a constant column or perfectly separated classes leave the Newton system singular.
                return new LogisticFit(beta, iteration, Converged: false, lastStep, Singular: true);
            }

            beta -= step;
            lastStep = step.InfinityNorm();
            if (!double.IsFinite(lastStep))
            {
                return new LogisticFit(beta, iteration, Converged: false, lastStep, Singular: true);
            }

            if (lastStep < tolerance)
            {
                return new LogisticFit(beta, iteration, Converged: true, lastStep, Singular: false);
            }
        }

        return new LogisticFit(beta, maxIterations, Converged: false, lastStep, Singular: false);
    }
}
