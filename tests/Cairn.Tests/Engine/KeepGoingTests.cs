namespace Cairn.Tests.Engine;

public sealed class KeepGoingTests
{
    [Fact]
    public void Keep_going_runs_every_cell_that_does_not_depend_on_the_failure_and_still_fails_the_run()
    {
        using var h = Harness("error");

        var run = h.Run("--keep-going");

        run.ExitCode.ShouldBe(1);
        foreach (var day in new[] { "2013-05-01", "2013-05-03" })
        {
            File.Exists(h.Checkpoint("Faulty", day)).ShouldBeTrue();
            File.Exists(h.Checkpoint("Upper", day)).ShouldBeTrue();
        }

        File.Exists(h.Checkpoint("Faulty", "2013-05-02")).ShouldBeFalse();
        File.Exists(h.Checkpoint("Upper", "2013-05-02")).ShouldBeFalse();
        File.Exists(h.Checkpoint("Concat")).ShouldBeFalse();
        run.Output.ShouldContain("Upper: 1 cell not run because an upstream cell failed (e.g. Upper date=2013-05-02: upstream Faulty date=2013-05-02 failed or was not run)");
        run.Output.ShouldContain("Concat: 1 cell not run because an upstream cell failed (e.g. Concat: upstream Upper date=2013-05-02 failed or was not run)");
        run.Output.ShouldContain("  failed: Stage 'Faulty' failed for date=2013-05-02: CAIRN9901: the test stage was told to fail (log: logs/date=2013-05-02/Faulty.log)");
        run.Output.ShouldContain("  not run because of a failure: 2 cells; the next run runs them and the failed ones, nothing else");
    }

    [Fact]
    public void After_a_keep_going_failure_the_next_run_reruns_only_the_failed_and_not_yet_run_cells()
    {
        using var h = Harness("error");
        h.Run("--keep-going").ExitCode.ShouldBe(1);

        h.WriteRaw("2013-05-02", "row\n");
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Faulty date=2013-05-02: run, first run");
        run.Output.ShouldContain("Faulty: 2 cells up to date, skipped");
        run.Output.ShouldContain("Upper date=2013-05-02: run, first run");
        run.Output.ShouldContain("Upper: 2 cells up to date, skipped");
        run.Output.ShouldContain("Concat: run, first run");
    }

    [Fact]
    public void Without_keep_going_the_first_failure_stops_the_run_and_names_what_was_not_reached()
    {
        using var h = Harness("error");

        var run = h.Run("--parallelism=1");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("  not reached: Upper, Concat");
        File.Exists(h.Checkpoint("Faulty", "2013-05-03")).ShouldBeFalse();
    }

    [Fact]
    public void Skip_leaves_a_built_stage_out_and_runs_the_rest_on_its_recorded_outputs()
    {
        using var h = Harness("none");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-01", "changed\n");

        var run = h.Run("--skip=Faulty").ShouldSucceed();

        run.Output.ShouldContain("Faulty: skipped by --skip (3 cells keep their recorded outputs)");
        run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        File.ReadAllText(h.WorkspaceFile("data/out/date=2013-05-01/out.txt")).ShouldBe("row\n");
    }

    [Fact]
    public void Skip_of_a_stage_whose_outputs_are_missing_is_refused_before_anything_runs()
    {
        using var h = Harness("none");

        var run = h.Run("--skip=Faulty");

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldBe("--skip=Faulty: Faulty's outputs are not all there: Faulty date=2013-05-01 (never built), Faulty date=2013-05-02 (never built), Faulty date=2013-05-03 (never built). Run it first (without --skip=Faulty).");
    }

    private static EngineHarness Harness(string mode)
    {
        var pipeline = PipelineYaml.Faulty(mode, failOn: string.Empty)
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "data/out/date={date}/out.txt").Output("Output", "data/upper/date={date}/upper.txt"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper/date={each}/upper.txt").Output("Combined", "data/all.txt"));
        var h = new EngineHarness(pipeline, ("Faulty", []), ("Upper", ["Faulty"]), ("Concat", ["Upper"]));
        h.WriteRaw("2013-05-01", "row\n");
        h.WriteRaw("2013-05-02", mode == "none" ? "row\n" : "FAIL\n");
        h.WriteRaw("2013-05-03", "row\n");
        return h;
    }
}
