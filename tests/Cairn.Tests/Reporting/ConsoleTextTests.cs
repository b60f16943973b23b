using Cairn.Engine.Scan;
using Cairn.Engine.Plan;
using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Tests.Engine;
using Cairn.Tests.Observability;

namespace Cairn.Tests.Reporting;

/// <summary>
/// The text a person reads after a run and from the targets that run no stage, approved as files (times and run
/// ids masked): a mismatch leaves <c>*.actual.txt</c> beside the approved file.
/// </summary>
public sealed class ConsoleTextTests
{
    private const string FailingPipeline = """
        name: test
        assembly: Cairn.Tests
        stages:
          Faulty:
            task: Cairn.Tests.Engine.TestStages.TestStage
            partitioned: true
            inputs:
              Input: "{raw}/date={date}/part.csv"
            outputs:
              Output: "data/out/date={date}/out.txt"
            parameters:
              Fault: error
              FailOn: "2013-05-02"
              Partition: "{date}"
          Upper:
            task: Cairn.Tests.Engine.TestStages.UpperCaseStage
            partitioned: true
            inputs:
              Sources: "data/out/date={date}/out.txt"
            outputs:
              Output: "data/upper/date={date}/upper.txt"
          Concat:
            task: Cairn.Tests.Engine.TestStages.ConcatStage
            inputs:
              Parts: "data/upper/date={each}/upper.txt"
            outputs:
              Combined: "data/all.txt"
        """;

    [Fact]
    public void A_first_run_prints_each_stages_lines_then_the_outcome_and_one_row_per_stage()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");

        var run = h.Run().ShouldSucceed();

        Approved.ShouldMatch(ConsoleMasks.RunIdsAndSeconds(run.Output), "tests/Cairn.Tests/Reporting/RunSummary.FirstRun.expected.txt");
    }

    [Fact]
    public void A_no_op_run_prints_one_line_per_stage_then_one_saying_there_was_nothing_to_do()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();

        var run = h.Run().ShouldSucceed();

        Approved.ShouldMatch(ConsoleMasks.RunIdsAndSeconds(run.Output), "tests/Cairn.Tests/Reporting/RunSummary.NoOp.expected.txt");
    }

    [Fact]
    public void A_failed_run_ends_with_what_failed_and_which_stages_were_not_reached()
    {
        using var h = new EngineHarness(FailingPipeline, ("Faulty", []), ("Upper", ["Faulty"]), ("Concat", ["Upper"]));
        foreach (var day in new[] { "2013-05-01", "2013-05-02", "2013-05-03" })
        {
            h.WriteRaw(day, $"row of {day}\n");
        }

        var run = h.Run();

        run.ExitCode.ShouldBe(1);
        Approved.ShouldMatch(ConsoleMasks.RunIdsAndSeconds(run.Output), "tests/Cairn.Tests/Reporting/RunSummary.Failed.expected.txt");
    }

    [Fact]
    public void Status_after_a_raw_file_changed()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "changed\n");

        var status = Inspection.Run(h, s => s.Status());

        Approved.ShouldMatch(status.ReplaceLineEndings("\n"), "tests/Cairn.Tests/Reporting/Status.expected.txt");
    }

    [Fact]
    public void Status_of_a_range_after_a_run_of_every_day_groups_the_inputs_the_range_leaves_out()
    {
        using var h = EngineHarness.TwoStages([.. Enumerable.Range(1, 20).Select(d => $"2013-05-{d:00}")]);
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-03", "changed\n");

        var status = Inspection.Run(h, s => s.Status(), "--from=2013-05-03", "--to=2013-05-04");

        Approved.ShouldMatch(status.ReplaceLineEndings("\n"), "tests/Cairn.Tests/Reporting/Status.Grouped.expected.txt");
    }

    [Fact]
    public void History_of_the_last_runs_and_of_one_run()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        RecordedRuns.Write(Inspection.RunLog(h), h.Env.Root);

        var text = Inspection.Run(h, s => s.History()) + Inspection.Run(h, s => s.History(), $"--run={RecordedRuns.Second}");

        Approved.ShouldMatch(text.ReplaceLineEndings("\n"), "tests/Cairn.Tests/Reporting/History.expected.txt");
    }

    [Fact]
    public void History_summary_of_the_last_runs()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        RecordedRuns.Write(Inspection.RunLog(h), h.Env.Root);

        var text = Inspection.Run(h, s => s.History(), "--summary") + Inspection.Run(h, s => s.History(), "--summary", "--limit=1");

        Approved.ShouldMatch(text.ReplaceLineEndings("\n"), "tests/Cairn.Tests/Reporting/HistorySummary.expected.txt");
    }

    [Fact]
    public void Health_over_the_last_runs()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        RecordedRuns.Write(Inspection.RunLog(h), h.Env.Root);

        var text = Inspection.Run(h, s => s.Health());

        Approved.ShouldMatch(text.ReplaceLineEndings("\n"), "tests/Cairn.Tests/Reporting/Health.expected.txt");
    }

    [Fact]
    public void The_run_log_holds_each_decision_once()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");

        h.Run().ShouldSucceed();

        var log = File.ReadAllLines(Directory.GetFiles(h.WorkspaceFile("logs/runs"), "*.log").Single());
        log.Count(l => l == "Upper date=2013-05-01: run, first run").ShouldBe(1);
        log.Count(l => l == "Upper date=2013-05-02: run, first run").ShouldBe(1);
        log.Count(l => l == "Concat: run, first run").ShouldBe(1);
    }

    [Fact]
    public void The_run_log_holds_each_cells_reason_once_when_the_console_groups_them()
    {
        var days = Enumerable.Range(1, 13).Select(d => $"2013-05-{d:00}").ToArray();
        using var h = EngineHarness.TwoStages(days);

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: run 13 cells: first run (13) (each cell's reason: logs/runs/");
        var log = File.ReadAllLines(Directory.GetFiles(h.WorkspaceFile("logs/runs"), "*.log").Single());
        foreach (var day in days)
        {
            log.Count(l => l == $"Upper date={day}: run, first run").ShouldBe(1);
        }
    }

    /// <summary>Three runs written to the run log as the observer writes them, at fixed times, so History and Health read the same every time.</summary>
    private static class RecordedRuns
    {
        public const string First = "20261122T050600Z-100-aaaa";
        public const string Second = "20261122T050700Z-200-bbbb";
        public const string Third = "20261122T050800Z-300-cccc";

        public static void Write(string database, string repository)
        {
            var start = new DateTimeOffset(2026, 11, 22, 5, 6, 0, TimeSpan.Zero);
            Run(database, repository, First, start, ranDay: ["2013-05-01", "2013-05-02"], failDay: null);
            Run(database, repository, Second, start.AddMinutes(1), ranDay: ["2013-05-02"], failDay: null);
            Run(database, repository, Third, start.AddMinutes(2), ranDay: ["2013-05-01"], failDay: "2013-05-01");
        }

        private static void Run(string database, string repository, string runId, DateTimeOffset started, string[] ranDay, string? failDay)
        {
            using var observer = new RunLogObserver(database, repository, name => name == "GITHUB_ACTOR" ? "octocat" : null);
            string[] days = ["2013-05-01", "2013-05-02"];
            observer.OnRunStarted(new RunStarted(runId, "test", "local", "Concat", new Dictionary<string, string>(), days, "ws", "1.0.0", started)
            {
                ParameterOverrides = runId == Second ? new Dictionary<string, string> { ["Upper.Suffix"] = "?" } : new Dictionary<string, string>(),
            });
            var clock = started;
            var results = new List<StageResult>();
            var upper = days.Select(d => Decision("Upper", d, ranDay.Contains(d))).ToList();
            observer.OnStageDecided(runId, "Upper", upper);
            foreach (var day in ranDay)
            {
                var failed = day == failDay;
                observer.OnCellFinished(new CellFinished(runId, "Upper", day, 1, !failed, failed ? "CAIRN9901: told to fail" : null, "input changed: $raw/date=" + day + "/part.csv", "fp", clock, clock.AddMilliseconds(40), new Dictionary<string, double> { ["Rows"] = 3 }));
                clock = clock.AddMilliseconds(50);
            }

            results.Add(new StageResult("Upper", 2, ranDay.Length, 2 - ranDay.Length, failDay is null ? 0 : 1, TimeSpan.FromMilliseconds(100), new Dictionary<string, double>()));
            observer.OnStageFinished(runId, results[^1]);
            if (failDay is null)
            {
                observer.OnStageDecided(runId, "Concat", [Decision("Concat", null, run: true)]);
                observer.OnCellFinished(new CellFinished(runId, "Concat", null, 1, true, null, "input changed: data/upper/date=2013-05-02/upper.txt", "fp", clock, clock.AddMilliseconds(250), new Dictionary<string, double> { ["PartsRead"] = 2 }));
                results.Add(new StageResult("Concat", 1, 1, 0, 0, TimeSpan.FromMilliseconds(260), new Dictionary<string, double>()));
                observer.OnStageFinished(runId, results[^1]);
            }

            observer.OnRunFinished(new RunFinished(runId, failDay is null ? "succeeded" : "failed", failDay is null ? null : "Stage 'Upper' failed for date=2013-05-01: CAIRN9901: told to fail", started, started.AddSeconds(1.5), results));
        }

        private static CellDecision Decision(string stage, string? partition, bool run) =>
            new(
                new CellBinding(stage, partition, [], [], new Dictionary<string, object>(), new Dictionary<string, string>()),
                "fp",
                [],
                null,
                run ? new Cairn.Engine.Scan.Decision(DecisionKind.InputChanged, "input changed", [new Cause(CauseKind.InputChanged) { Path = "in.txt" }]) : Cairn.Engine.Scan.Decision.UpToDate);
    }
}
