using Cairn.Engine.Reporting;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Reporting;

/// <summary>Colour codes only on a terminal, unless NO_COLOR or FORCE_COLOR says otherwise; never in the run log.</summary>
public sealed class ColourTests
{
    private const string Escape = "\u001b[";

    [Theory]
    [InlineData(null, null, null, true, true)]
    [InlineData(null, null, null, false, false)]
    [InlineData("1", null, null, true, false)]
    [InlineData("", null, null, true, true)]
    [InlineData(null, "1", null, false, true)]
    [InlineData(null, "true", null, false, true)]
    [InlineData(null, "0", null, true, false)]
    [InlineData(null, "false", null, true, false)]
    [InlineData("1", "1", null, false, true)]
    [InlineData(null, null, "dumb", true, false)]
    public void Colour_is_for_a_terminal_unless_NO_COLOR_or_FORCE_COLOR_or_a_dumb_terminal_says_otherwise(string? noColor, string? forceColor, string? term, bool terminal, bool expected)
    {
        var variables = new Dictionary<string, string?> { ["NO_COLOR"] = noColor, ["FORCE_COLOR"] = forceColor, ["TERM"] = term };

        ConsoleColours.Enabled(name => variables.GetValueOrDefault(name), terminal).ShouldBe(expected);
    }

    [Fact]
    public void Output_that_is_not_a_terminal_gets_no_colour_codes()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        h.Run().ShouldSucceed().Output.ShouldNotContain(Escape);
    }

    [Fact]
    public void On_a_terminal_the_outcome_is_coloured_and_the_run_log_stays_plain()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.OutputIsTerminal = true;

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain(") \u001b[32msucceeded\u001b[0m in ");
        File.ReadAllText(Directory.GetFiles(h.WorkspaceFile("logs/runs"), "*.log").Single()).ShouldNotContain(Escape);
    }

    [Fact]
    public void NO_COLOR_keeps_a_terminal_plain_and_FORCE_COLOR_colours_a_pipe()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.OutputIsTerminal = true;
        h.Variables["NO_COLOR"] = "1";
        h.Run().ShouldSucceed().Output.ShouldNotContain(Escape);

        h.OutputIsTerminal = false;
        h.Variables.Remove("NO_COLOR");
        h.Variables["FORCE_COLOR"] = "1";
        h.Run().ShouldSucceed().Output.ShouldContain(") \u001b[32msucceeded\u001b[0m in ");
    }

    [Theory]
    [InlineData("warning: the stat cache was rebuilt", "\u001b[33mwarning: the stat cache was rebuilt\u001b[0m")]
    [InlineData("  failed: Stage 'Clean' failed for date=2013-05-03: …", "\u001b[31m  failed: Stage 'Clean' failed for date=2013-05-03: …\u001b[0m")]
    [InlineData("Cairn run x (local, 1 partition) failed in 0.20 s; run log l", "Cairn run x (local, 1 partition) \u001b[31mfailed\u001b[0m in 0.20 s; run log l")]
    [InlineData("Cairn run x (local, 1 partition) cancelled in 0.20 s; run log l", "Cairn run x (local, 1 partition) \u001b[33mcancelled\u001b[0m in 0.20 s; run log l")]
    [InlineData("Ingest: skipped, all 3 cells up to date", "Ingest: skipped, all 3 cells up to date")]
    public void Lines_are_coloured_by_what_they_say(string line, string coloured)
    {
        new ColouredLines(TextWriter.Null, problems: false).Colour(line).ShouldBe(coloured);
    }
}
