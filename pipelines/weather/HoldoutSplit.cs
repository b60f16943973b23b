namespace Cairn.Pipelines.Weather;

/// <summary>
/// Splits the distinct dates of the selected feature partitions into training and holdout: sorted
/// ascending, the last ceil(n × fraction) dates are held out. Train and Evaluate both derive the
/// split from the same dates and fraction, so they agree on which rows the model never saw.
/// </summary>
internal sealed class HoldoutSplit
{
    // n × fraction is rounded to 9 decimals before the ceiling so that binary noise
    // (10 × 0.3 = 3.0000000000000004) does not hold out one date more than the decimal arithmetic says.
    private const int CountDecimals = 9;

    private HoldoutSplit(IReadOnlyList<DateOnly> trainingDates, IReadOnlyList<DateOnly> holdoutDates)
    {
        TrainingDates = trainingDates;
        HoldoutDates = holdoutDates;
    }

    public IReadOnlyList<DateOnly> TrainingDates { get; }

    public IReadOnlyList<DateOnly> HoldoutDates { get; }

    /// <summary>True when <paramref name="fraction"/> can split dates into two non-empty sides.</summary>
    public static bool IsValidFraction(double fraction) => fraction is > 0 and < 1;

    public static HoldoutSplit Of(IEnumerable<DateOnly> dates, double fraction)
    {
        ArgumentNullException.ThrowIfNull(dates);
        if (!IsValidFraction(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the holdout fraction must lie strictly between 0 and 1");
        }

        var distinct = dates.Distinct().Order().ToArray();
        var holdoutCount = (int)Math.Ceiling(Math.Round(distinct.Length * fraction, CountDecimals));
        var firstHoldout = distinct.Length - holdoutCount;
        return new HoldoutSplit(distinct[..firstHoldout], distinct[firstHoldout..]);
    }

    public bool IsHoldout(DateOnly date) => HoldoutDates.Count > 0 && date >= HoldoutDates[0];
}
