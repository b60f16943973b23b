namespace Cairn.Pipelines.Weather;

/// <summary>One side of a drift comparison: which window it is, its first and last date, its dates and rows.</summary>
internal sealed record DriftWindowRange
{
    /// <summary><c>training</c>, <c>holdout</c> or <c>last N days</c>.</summary>
    public required string Definition { get; init; }

    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public required int Dates { get; init; }

    public required long Rows { get; init; }
}
