using Cairn.Tests.Engine;

namespace Cairn.Tests.Reporting;

public sealed class ProgressTests
{
    private static readonly string[] SixDays = ["2013-05-01", "2013-05-02", "2013-05-03", "2013-05-04", "2013-05-05", "2013-05-06"];

    [Fact]
    public void In_CI_a_stage_prints_a_plain_progress_line_each_time_the_interval_has_passed()
    {
        using var h = EngineHarness.TwoStages(SixDays);
        var time = new ManualTime();
        h.Time = time;
        h.Variables["CI"] = "true";
        h.Observers.Add(new ClockPerCell(time, TimeSpan.FromSeconds(4)));

        var run = h.Run().ShouldSucceed();

        // 4 s a cell and a line every 10 s: after the third cell (12 s) and the sixth (24 s, 12 s after the last line).
        run.Lines.Where(l => l.Contains(" cells done", StringComparison.Ordinal)).ShouldBe(
        [
            "Upper: 3 of 6 cells done, 3 rows, 12 s",
            "Upper: 6 of 6 cells done, 6 rows, 24 s",
        ]);
        run.Output.ShouldNotContain("\r");
    }

    [Fact]
    public void On_a_terminal_progress_is_a_status_line_cleared_before_the_next_line()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        var time = new ManualTime();
        h.Time = time;
        h.OutputIsTerminal = true;
        h.Observers.Add(new ClockPerCell(time, TimeSpan.FromSeconds(1)));

        var run = h.Run().ShouldSucceed();

        var status = "Upper: 1/2 cells, 1 rows, 1 s";
        run.Output.ShouldContain(status + "\r" + new string(' ', status.Length) + "\r");
        run.Output.ShouldContain("Upper: 2/2 cells, 2 rows, 2 s");
        var screen = AsTerminalShowsIt(run.Output);
        screen.ShouldContain(line => line.StartsWith("Upper: ran 2 cells in ", StringComparison.Ordinal));
        screen.ShouldNotContain(line => line.Contains("/2 cells", StringComparison.Ordinal), "the status line is cleared, never left behind");
    }

    [Fact]
    public void In_CI_there_is_no_status_line_even_on_a_terminal()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.OutputIsTerminal = true;
        h.Variables["CI"] = "true";

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldNotContain("\r");
        run.Output.ShouldNotContain("/2 cells");
    }

    /// <summary>The lines a terminal would show: a carriage return goes back to the line's start and what follows overwrites it.</summary>
    private static List<string> AsTerminalShowsIt(string output)
    {
        var lines = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            var shown = new System.Text.StringBuilder();
            foreach (var segment in line.Split('\r'))
            {
                for (var i = 0; i < segment.Length; i++)
                {
                    if (i < shown.Length)
                    {
                        shown[i] = segment[i];
                    }
                    else
                    {
                        shown.Append(segment[i]);
                    }
                }
            }

            lines.Add(shown.ToString().TrimEnd());
        }

        return lines;
    }
}
