using Cairn.Pipelines.Weather;

namespace Cairn.Tests.Modelling;

public sealed class HoldoutSplitTests
{
    private static readonly DateOnly First = new(2015, 1, 1);

    [Theory]
    [InlineData(10, 0.2, 2)]
    [InlineData(10, 0.25, 3)] // 2.5 dates round up
    [InlineData(10, 0.3, 3)] // 10 × 0.3 is 3.0000000000000004 in binary, still three dates
    [InlineData(1, 0.2, 1)]
    [InlineData(3, 0.99, 3)]
    [InlineData(1461, 0.2, 293)]
    public void The_last_ceiling_of_dates_times_fraction_are_held_out(int dates, double fraction, int expectedHoldout)
    {
        var days = Enumerable.Range(0, dates).Select(First.AddDays).ToArray();

        var split = HoldoutSplit.Of(days, fraction);

        split.HoldoutDates.ShouldBe(days[^expectedHoldout..]);
        split.TrainingDates.ShouldBe(days[..^expectedHoldout]);
    }

    [Fact]
    public void Dates_are_split_once_each_in_date_order_whatever_order_and_repetition_they_come_in()
    {
        var days = Enumerable.Range(0, 10).Select(First.AddDays).ToArray();
        var shuffled = days.Reverse().Concat(days).Concat(days.Take(3)).ToArray();

        var split = HoldoutSplit.Of(shuffled, 0.2);

        split.TrainingDates.ShouldBe(days[..8]);
        split.HoldoutDates.ShouldBe(days[8..]);
    }

    [Fact]
    public void The_boundary_date_is_held_out_and_the_date_before_it_trains()
    {
        var days = Enumerable.Range(0, 10).Select(First.AddDays).ToArray();

        var split = HoldoutSplit.Of(days, 0.2);

        split.IsHoldout(new DateOnly(2015, 1, 8)).ShouldBeFalse();
        split.IsHoldout(new DateOnly(2015, 1, 9)).ShouldBeTrue();
        split.IsHoldout(new DateOnly(2015, 1, 10)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_to_one_is_rejected(double fraction)
    {
        HoldoutSplit.IsValidFraction(fraction).ShouldBeFalse();
        Should.Throw<ArgumentOutOfRangeException>(() => HoldoutSplit.Of([First], fraction));
    }
}
