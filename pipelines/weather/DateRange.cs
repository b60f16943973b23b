using System.Globalization;

namespace Cairn.Pipelines.Weather;

/// <summary>The first and last of a set of dates and how many distinct dates it holds, as written to model.json and metrics.json.</summary>
internal sealed record DateRange
{
    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public required int Dates { get; init; }

    public static DateRange Of(IReadOnlyList<DateOnly> sortedDates)
    {
        ArgumentNullException.ThrowIfNull(sortedDates);
        if (sortedDates.Count == 0)
        {
            throw new ArgumentException("a date range needs at least one date", nameof(sortedDates));
        }

        return new DateRange { From = sortedDates[0], To = sortedDates[^1], Dates = sortedDates.Count };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}");
}
