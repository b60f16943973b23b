using Cairn.Engine.Hosting;
using Cairn.Engine.Plan;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Cairn.Tests.Reporting;

namespace Cairn.Tests.Engine;

/// <summary>What a run prints, from the facts alone (no stage, no workspace): the text is approved, the outcome asserted.</summary>
public sealed class RunOutputTests
{
    [Fact]
    public void Decisions_blocked_cells_and_the_summary_of_a_kept_going_failure_read_as_approved()
    {
        var console = new StringWriter();
        var output = new RunOutput(new RunConsole(console, null));

        output.Decided("Ingest", [.. Enumerable.Range(1, 14).Select(d => Cell("Ingest", $"2013-05-{d:00}", d <= 13 ? Cause.FirstRun : new Cause(CauseKind.InputChanged) { Path = "$raw/x.csv", Old = "a", New = "b" })), Cell("Ingest", "2013-05-15", null)], "logs/runs/r.log");
        output.Decided("Validate", [Cell("Validate", "2013-05-01", new Cause(CauseKind.ParameterChanged) { Parameter = "Limit", Old = "1", New = "2" }), Cell("Validate", "2013-05-02", null)], "logs/runs/r.log");
        output.Decided("Train", [Cell("Train", null, null)], "logs/runs/r.log");
        output.Blocked("Clean", [new BlockedCell("2013-05-02", "Validate date=2013-05-02")]);
        output.Ran("Validate", 1, TimeSpan.FromSeconds(0.25), new Dictionary<string, double> { ["Rows"] = 12, ["Ratio"] = 0.125 });
        output.KeptGoing("Validate", 1);
        var (status, exitCode) = output.Summary(new RunSummary(
            "20130503T000000Z-1-abcd",
            "local",
            15,
            ["Ingest", "Validate", "Clean", "Train"],
            [new StageResult("Ingest", 15, 14, 1, 0, TimeSpan.FromSeconds(1.5), new Dictionary<string, double>()), new StageResult("Validate", 2, 0, 1, 1, TimeSpan.FromSeconds(0.25), new Dictionary<string, double>())],
            [new CellFailure("Validate", "2013-05-02", "Stage 'Validate' failed for date=2013-05-02: CAIRN3001: bad (log: logs/date=2013-05-02/Validate.log)")],
            Blocked: 1,
            KeepGoing: true,
            Failure: null,
            Cancelled: false,
            CancelReason: null,
            CancelledExitCode: 1,
            TimeSpan.FromSeconds(2),
            "logs/runs/r.log"));

        status.ShouldBe("failed");
        exitCode.ShouldBe(1);
        Approved.ShouldMatch(console.ToString().ReplaceLineEndings("\n"), "tests/Cairn.Tests/Engine/RunOutput.expected.txt");
    }

    [Fact]
    public void Counts_of_a_thousand_and_more_carry_the_thousands_separator_and_the_table_stays_aligned()
    {
        var console = new StringWriter();
        var output = new RunOutput(new RunConsole(console, null));
        var days = Enumerable.Range(0, 1461).Select(d => new DateOnly(2012, 1, 1).AddDays(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        output.Decided("Ingest", [.. days.Select(d => Cell("Ingest", d, Cause.FirstRun))], "logs/runs/r.log");
        output.Ran("Ingest", 1461, TimeSpan.FromSeconds(1.5), new Dictionary<string, double> { ["RowsIn"] = 1461 });
        output.Decided("Validate", [.. days.Select(d => Cell("Validate", d, d == "2013-05-03" ? Cause.FirstRun : null))], "logs/runs/r.log");
        output.Decided("Clean", [.. days.Select(d => Cell("Clean", d, null))], "logs/runs/r.log");
        StageResult[] results =
        [
            new("Ingest", 1461, 1461, 0, 0, TimeSpan.FromSeconds(1.5), new Dictionary<string, double>()),
            new("Validate", 1461, 1, 1460, 0, TimeSpan.FromSeconds(0.25), new Dictionary<string, double>()),
            new("Clean", 1461, 0, 1461, 0, TimeSpan.FromSeconds(0.1), new Dictionary<string, double>()),
            new("Train", 1, 1, 0, 0, TimeSpan.FromSeconds(0.5), new Dictionary<string, double>()),
        ];
        output.Summary(new RunSummary("20130503T000000Z-1-abcd", "local", 1461, [.. results.Select(r => r.Stage)], results, [], 0, false, null, false, null, 1, TimeSpan.FromSeconds(2), "logs/runs/r.log"));

        Approved.ShouldMatch(console.ToString().ReplaceLineEndings("\n"), "tests/Cairn.Tests/Engine/RunOutput.Thousands.expected.txt");
    }

    [Theory]
    [InlineData(null, 130, "cancelled", 130)]
    [InlineData(null, 143, "cancelled", 143)]
    [InlineData("the run's --timeout of 2 s ran out", 130, "cancelled", 1)]
    public void A_cancelled_run_exits_with_the_signals_code_and_a_timed_out_one_with_1(string? reason, int signalCode, string status, int exitCode)
    {
        var output = new RunOutput(new RunConsole(new StringWriter(), null));

        var outcome = output.Summary(new RunSummary("r", "local", 1, [], [], [], 0, false, new OperationCanceledException(), true, reason, signalCode, TimeSpan.Zero, "r.log"));

        outcome.ShouldBe((status, exitCode));
    }

    private static CellDecision Cell(string stage, string? partition, Cause? cause) =>
        new(new CellBinding(stage, partition, [], [], new Dictionary<string, object>(), new Dictionary<string, string>()), "fingerprint", [], null, cause is null ? Decision.UpToDate : Decision.Of([cause]));
}
