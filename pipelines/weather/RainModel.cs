using System.Globalization;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// The content of model.json: a logistic regression on standardized features. The probability of
/// rain is logistic(intercept + Σ coefficients[i] × (x[i] − means[i]) / stds[i]). Fitted values are
/// rounded to <see cref="Decimals"/> decimals before writing.
/// </summary>
internal sealed record RainModel
{
    public const int Decimals = 10;

    public const string LogisticRegression = "logistic_regression";

    public required string Kind { get; init; }

    public required string Label { get; init; }

    public required IReadOnlyList<string> Features { get; init; }

    public required IReadOnlyList<double> Means { get; init; }

    public required IReadOnlyList<double> Stds { get; init; }

    public required double Intercept { get; init; }

    public required IReadOnlyList<double> Coefficients { get; init; }

    public required int Iterations { get; init; }

    public required bool Converged { get; init; }

    public required long TrainingRows { get; init; }

    public required DateRange TrainingDates { get; init; }

    public required RainModelParameters Parameters { get; init; }

    /// <summary>The reason this model cannot be used for prediction, or null when it is consistent.</summary>
    public string? Inconsistency()
    {
        if (Kind != LogisticRegression)
        {
            return $"kind is '{Kind}', expected '{LogisticRegression}'";
        }

        if (Features.Count == 0)
        {
            return "it has no features";
        }

        if (Means.Count != Features.Count || Stds.Count != Features.Count || Coefficients.Count != Features.Count)
        {
            return $"it lists {Features.Count} features but {Means.Count} means, {Stds.Count} stds and {Coefficients.Count} coefficients";
        }

        for (var i = 0; i < Stds.Count; i++)
        {
            if (!(Stds[i] > 0 && double.IsFinite(Stds[i])))
            {
                return string.Create(CultureInfo.InvariantCulture, $"std of '{Features[i]}' is {Stds[i]}, expected a positive number");
            }
        }

        return null;
    }
}
