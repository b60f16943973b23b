using Cairn.Engine.Configuration;
using Cairn.Engine.Partitions;

namespace Cairn.Tests.Engine;

public sealed class ReadWindowTests
{
    private static readonly string[] Year = [.. Enumerable.Range(0, 366).Select(i => new DateOnly(2012, 1, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))];

    [Theory]
    [InlineData("last 7 days", "2012-03-01", "2012-02-24", 7)]
    [InlineData("last 1 day", "2012-03-01", "2012-03-01", 1)]
    [InlineData("last 2 weeks", "2012-03-01", "2012-02-17", 14)]
    [InlineData("last 1 month", "2012-03-31", "2012-03-01", 31)]
    [InlineData("last 3 months", "2012-05-31", "2012-03-01", 92)]
    [InlineData("LAST  30 Days", "2012-03-01", "2012-02-01", 30)]
    public void A_trailing_window_ends_at_the_selections_last_partition(string text, string last, string first, int count)
    {
        ReadWindow.TryParse(text, "pipeline.yaml:3", out var window).ShouldBeTrue();

        var read = window.Select(Year, ["2012-01-10", last], PartitionScheme.Default);

        read[0].ShouldBe(first);
        read[^1].ShouldBe(last);
        read.Count.ShouldBe(count);
    }

    [Fact]
    public void All_reads_every_partition_and_selection_the_selected_ones()
    {
        ReadWindow.TryParse("all", "f:1", out var all).ShouldBeTrue();
        ReadWindow.TryParse("selection", "f:1", out var selection).ShouldBeTrue();

        all.Select(Year, ["2012-05-05"], PartitionScheme.Default).Count.ShouldBe(366);
        selection.Select(Year, ["2012-05-05"], PartitionScheme.Default).ShouldBe(["2012-05-05"]);
        ReadWindow.All.Kind.ShouldBe(ReadWindowKind.All);
    }

    [Theory]
    [InlineData("last")]
    [InlineData("last 7")]
    [InlineData("last -1 days")]
    [InlineData("last 2 years")]
    [InlineData("first 7 days")]
    [InlineData("")]
    public void Other_forms_are_not_windows(string text) => ReadWindow.TryParse(text, "f:1", out _).ShouldBeFalse();
}
