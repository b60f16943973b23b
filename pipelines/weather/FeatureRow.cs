namespace Cairn.Pipelines.Weather;

/// <summary>One row of a features file: its date, the selected feature values in column order, and the 0/1 label.</summary>
internal sealed record FeatureRow(DateOnly Date, IReadOnlyList<double> Values, bool Label);
