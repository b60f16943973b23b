using Microsoft.Build.Utilities;

namespace Example.Tests;

public sealed class SummaryTests : IDisposable
{
    private readonly StageFolder _folder = new();
    private readonly RecordingBuildEngine _engine = new();

    [Fact]
    public void Sums_each_store_over_the_days_with_its_share_and_best_day()
    {
        var stage = Stage(
            ("2026-03-01", "store,units,revenue\nharbour,2,10.00\nstation,1,2.50\n"),
            ("2026-03-02", "store,units,revenue\nharbour,1,30.00\n"));

        Assert.True(stage.Execute(), string.Join("\n", _engine.Errors));

        Assert.Equal(
            """
            # Sales over 2 days

            | store | days | units | revenue (EUR) | share | best day |
            | --- | ---: | ---: | ---: | ---: | --- |
            | harbour | 2 | 3 | 40.00 | 94.1 % | 2026-03-02 (30.00) |
            | station | 1 | 1 | 2.50 | 5.9 % | 2026-03-01 (2.50) |

            """.ReplaceLineEndings("\n"),
            File.ReadAllText(stage.Report));
        Assert.Equal(2, stage.Days);
    }

    [Fact]
    public void A_file_DailyTotals_did_not_write_fails_with_EXAMPLE2001_naming_it()
    {
        var stage = Stage(("2026-03-01", "store;units;revenue\n"));

        Assert.False(stage.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.StartsWith("EXAMPLE2001: ", error);
        Assert.Contains("date=2026-03-01", error);
    }

    public void Dispose() => _folder.Dispose();

    private Summary Stage(params (string Day, string Totals)[] days) => new()
    {
        BuildEngine = _engine,
        Totals = days.Select(d => new TaskItem(_folder.Write($"data/daily/date={d.Day}/totals.csv", d.Totals))).ToArray(),
        Currency = "EUR",
        Report = _folder.PathOf("reports/summary.md"),
    };
}
