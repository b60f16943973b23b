using System.Globalization;
using System.Xml.Linq;
using Cairn.Pipelines.Weather.Charts;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reporting;

public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static TheoryData<string> Charts => [.. SvgCharts.Names];

    [Theory]
    [MemberData(nameof(Charts))]
    public void Each_chart_is_well_formed_svg_that_renders_to_a_picture(string chart)
    {
        using var env = new TestEnvironment();
        var svg = SvgCharts.Render(chart);

        var root = XDocument.Parse(svg).Root!;
        root.Name.ShouldBe(Svg + "svg");
        (root.Attribute("width")?.Value, root.Attribute("height")?.Value).ShouldBe(("760", "300"));
        root.Element(Svg + "title").ShouldNotBeNull();
        ShouldBeAPicture(SvgChartRenderer.WithSkia(env, svg));
    }

    [Fact]
    public void The_rows_chart_draws_kept_rows_and_quarantined_rows_in_their_colours()
    {
        using var env = new TestEnvironment();

        ShouldDrawRowsInTheirColours(SvgChartRenderer.WithSkia(env, SvgCharts.Render("rows")));
    }

    [SkippableTheory]
    [MemberData(nameof(Charts))]
    public void Rsvg_convert_renders_each_chart_to_the_same_kind_of_picture(string chart)
    {
        Skip.IfNot(SvgChartRenderer.RsvgConvertInstalled, SvgChartRenderer.RsvgConvertMissing);
        using var env = new TestEnvironment();

        var png = SvgChartRenderer.WithRsvgConvert(env, SvgCharts.Render(chart));

        ShouldBeAPicture(png);
        if (chart == "rows")
        {
            ShouldDrawRowsInTheirColours(png);
        }
    }

    [Fact]
    public void The_rows_chart_groups_partitions_by_month_and_keeps_quarantined_rows_on_top_of_the_kept_ones()
    {
        var months = MonthRows.Group(
            [("date=2012-01-30", 1), ("date=2012-01-31", 1), ("date=2012-02-01", 1), ("station=SEA", 4)],
            [new("date=2012-01-31", 1), new("date=2012-03-01", 2)]);

        months.ShouldBe(
        [
            new MonthRows("2012-01", 1, 1),
            new MonthRows("2012-02", 1, 0),
            new MonthRows("2012-03", 0, 2),
            new MonthRows("station=SEA", 4, 0),
        ]);
    }

    [Fact]
    public void A_label_with_markup_characters_is_escaped_not_broken()
    {
        var svg = MonthlyRowsChart.Render([new MonthRows("<a & \"b\">", 3, 1)]);

        XDocument.Parse(svg).Descendants(Svg + "text").Select(t => t.Value).ShouldContain("<a & \"b\">");
    }

    [Fact]
    public void Charts_are_the_same_bytes_in_any_culture()
    {
        var invariant = SvgCharts.Names.Select(SvgCharts.Render).ToList();
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            0.5.ToString(CultureInfo.CurrentCulture).ShouldBe("0,5", "the test needs culture data to mean anything");
            SvgCharts.Names.Select(SvgCharts.Render).ToList().ShouldBe(invariant);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        invariant[3].ShouldContain("points=\"76,", Case.Sensitive);
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(1234.5678, "1234.57")]
    [InlineData(-0.001, "0")]
    [InlineData(12, "12")]
    public void Numbers_are_culture_invariant_with_at_most_two_decimals(double value, string text) => SvgWriter.Number(value).ShouldBe(text);

    private static void ShouldBeAPicture(PngImage png)
    {
        (png.Width, png.Height).ShouldBe((760, 300));
        png.Count((r, g, b, a) => a > 200 && (r < 200 || g < 200 || b < 200)).ShouldBeGreaterThan(760 * 300 / 100, "at least 1% of the picture is drawn, not background");
    }

    private static void ShouldDrawRowsInTheirColours(PngImage png)
    {
        png.CountNear(MonthlyRowsChart.KeptColour).ShouldBeGreaterThan(20_000);
        png.CountNear(MonthlyRowsChart.QuarantinedColour).ShouldBeGreaterThan(300);
    }
}
