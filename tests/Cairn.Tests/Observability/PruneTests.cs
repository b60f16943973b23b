using Cairn.Tests.Engine;

namespace Cairn.Tests.Observability;

public sealed class PruneTests
{
    [Fact]
    public void Prune_keeps_the_newest_keep_runs_runs_removes_the_rest_with_their_logs_and_says_what_it_removed()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.SetPipeline(PipelineYaml.TwoStages().Then("keep_runs: 2\n"));
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "changed\n");
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();
        var db = Inspection.RunLog(h);
        var runs = Sql.Query(db, "SELECT run_id FROM pipeline_run_log ORDER BY started_at, run_id").Select(r => (string)r["run_id"]!).ToList();
        runs.Count.ShouldBe(4);
        var logs = runs.Select(r => h.WorkspaceFile($"logs/runs/{r}.log")).ToList();
        logs.ShouldAllBe(l => File.Exists(l));

        var output = Inspection.Run(h, s => s.Prune());

        output.ShouldStartWith("Prune: removed 2 runs started ");
        output.ShouldContain(" UTC and 2 of their logs (logs/runs/); kept the newest 2 (keep_runs: 2 in pipeline/pipeline.yaml); ");
        output.ShouldContain(" after VACUUM.");
        Sql.Query(db, "SELECT run_id FROM pipeline_run_log ORDER BY started_at, run_id").Select(r => (string)r["run_id"]!).ShouldBe(runs[2..]);
        Sql.Query(db, "SELECT DISTINCT run_id FROM cell_run_log UNION SELECT DISTINCT run_id FROM stage_run_log").Select(r => (string)r["run_id"]!)
            .ShouldBeSubsetOf(runs[2..], "no row of a removed run is left");
        logs.Select(File.Exists).ShouldBe([false, false, true, true]);

        Inspection.Run(h, s => s.Prune()).ShouldStartWith("Prune: nothing to remove; ws/.cairn/runs.db holds 2 runs, keep_runs is 2 (pipeline/pipeline.yaml); ");
    }

    [Fact]
    public void Prune_leaves_the_partition_sets_kept_runs_name_and_removes_the_rest()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.SetPipeline(PipelineYaml.TwoStages().Then("keep_runs: 1\n"));
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "a day more\n");
        h.Run().ShouldSucceed();
        var db = Inspection.RunLog(h);
        Sql.Query(db, "SELECT count(*) AS n FROM partition_set").ShouldHaveSingleItem()["n"].ShouldBe(3L, "one day, two days, and the whole-dataset stage's");

        Inspection.Run(h, s => s.Prune());

        Sql.Query(db, "SELECT partitions FROM partition_set ORDER BY id").Select(r => (string)r["partitions"]!).ShouldBe(["[\"\"]", "[\"2013-05-01\",\"2013-05-02\"]"]);
        using var reader = Cairn.Engine.Observing.RunLogReader.Open(db)!;
        var run = reader.Runs(5).ShouldHaveSingleItem();
        reader.Cells(run.RunId).Select(c => $"{c.Label("date")} {c.Decision}").ShouldBe(["Upper date=2013-05-01 skip", "Upper date=2013-05-02 run", "Concat run"]);
    }

    [Fact]
    public void Prune_without_keep_runs_in_the_pipeline_file_is_a_usage_error_naming_the_setting()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();

        Should.Throw<CairnUsageException>(() => Inspection.Run(h, s => s.Prune())).Message
            .ShouldBe("Prune: pipeline/pipeline.yaml sets no keep_runs, so every run is kept; add keep_runs: N (e.g. keep_runs: 100) to it to keep the newest N runs.");
    }

    [Fact]
    public void A_keep_runs_that_is_not_a_positive_number_is_reported_with_the_fix()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var pipeline = PipelineYaml.TwoStages().Then("keep_runs: none\n");
        h.SetPipeline(pipeline);
        var line = pipeline.ToString().TrimEnd('\n').Split('\n').Length;

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        run.Failure.ShouldNotBeNull().Message.ShouldContain($"pipeline.yaml:{line}: keep_runs 'none' is not a number of runs; give a whole number, at least 1 (e.g. keep_runs: 100), or leave it out to keep every run.");
    }
}
