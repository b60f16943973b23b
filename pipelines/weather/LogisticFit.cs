using MathNet.Numerics.LinearAlgebra;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// The outcome of <see cref="LogisticRegressionFit"/>: the coefficients (intercept first), how many Newton
/// steps were taken, whether the last step was below the tolerance, and the size of that step.
/// <see cref="Singular"/> is true when the Newton system could not be solved.
/// </summary>
internal sealed record LogisticFit(Vector<double> Coefficients, int Iterations, bool Converged, double LastStep, bool Singular);
