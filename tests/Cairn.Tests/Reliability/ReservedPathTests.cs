using Cairn.Tests.Engine;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, item 3: a declared output in Cairn's own state (<c>.cairn/</c>, <c>checkpoints/</c>, <c>logs/</c>) or
/// overlapping another output (directory outputs included) is refused when the pipeline loads, as a usage error (exit 2)
/// naming both, before anything is written.
/// </summary>
public sealed class ReservedPathTests
{
    [Theory]
    [InlineData(".cairn", "lies in .cairn/")]
    [InlineData("checkpoints", "lies in checkpoints/")]
    [InlineData("logs/tables", "lies in logs/")]
    public void A_directory_output_in_cairns_state_is_refused_naming_it(string folder, string problem)
    {
        using var h = Pipeline(new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt"))
            .Stage("Folders", "FolderStage", s => s.Input("Input", "data/upper/date=2013-05-01/upper.txt").Output("Folder", folder)));
        File.WriteAllText(h.WorkspaceFile(".cairn/runs.db"), "the run history");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.ExitCode.ShouldBe(2);
        ((CairnUsageException)run.Failure!).Problems.ShouldBe([
            $"{h.Env.PathOf("pipeline/pipeline.yaml")}: stage 'Folders' output 'Folder: {folder}' {problem}, Cairn's own state (.cairn/ holds the lock, the stat cache and the run log; checkpoints/ and logs/ the cells' records), which a run would overwrite or delete. Put the output elsewhere in the workspace."]);
        File.ReadAllText(h.WorkspaceFile(".cairn/runs.db")).ShouldBe("the run history");
    }

    [Fact]
    public void A_file_output_at_cairns_stat_cache_is_refused()
    {
        using var h = Pipeline(new PipelineYaml().Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", ".cairn/stat-cache.bin.{date}")));

        var run = h.Run();

        run.Failure!.Message.ShouldContain("stage 'Upper' output 'Output: .cairn/stat-cache.bin.{date}' lies in .cairn/");
    }

    [Fact]
    public void A_directory_output_holding_another_stages_files_is_refused_naming_both()
    {
        using var h = Pipeline(new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "reports/date={date}/upper.txt"))
            .Stage("Folders", "FolderStage", s => s.Input("Input", "reports/date=2013-05-01/upper.txt").Output("Folder", "reports")));

        var run = h.Run();

        ((CairnUsageException)run.Failure!).Problems.ShouldContain(
            $"{h.Env.PathOf("pipeline/pipeline.yaml")}: stage 'Upper' output 'Output: reports/date={{date}}/upper.txt' lies inside the directory output of stage 'Folders' output 'Folder: reports'; promoting a directory output replaces the folder whole, which would delete the other. Give each its own path.");
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }

    [Fact]
    public void A_file_output_under_another_file_output_is_refused()
    {
        using var h = Pipeline(new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper/date={each}").Output("Combined", "data/upper/date=2013-05-01/all.txt")));

        var run = h.Run();

        run.Failure!.Message.ShouldContain("stage 'Concat' output 'Combined: data/upper/date=2013-05-01/all.txt' lies inside stage 'Upper' output 'Output: data/upper/date={date}', which is a file; a path cannot be a file and a folder.");
    }

    [Fact]
    public void A_file_output_that_one_day_of_another_would_write_is_refused()
    {
        using var h = Pipeline(new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper/date={each}/upper.txt").Output("Combined", "data/upper/date=2013-05-01/upper.txt")));

        var run = h.Run();

        run.Failure!.Message.ShouldContain("stage 'Upper' output 'Output: data/upper/date={date}/upper.txt' and stage 'Concat' output 'Combined: data/upper/date=2013-05-01/upper.txt' can name the same file");
    }

    [Fact]
    public void The_sample_pipelines_outputs_do_not_overlap()
    {
        var sample = Cairn.Engine.Configuration.PipelineLoader.Load(Support.Repository.PathOf("pipelines/weather/pipeline.yaml"));

        Cairn.Engine.Plan.PipelinePlan.Build(sample, Cairn.Engine.Plan.DataFlowTargets.Of(sample)).Stages.Count.ShouldBe(sample.Stages.Count);
    }

    private static EngineHarness Pipeline(PipelineYaml pipeline)
    {
        var names = pipeline.ToString().Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal)).Select(l => l.Trim().TrimEnd(':')).ToList();
        var h = new EngineHarness(pipeline, names.Select((n, i) => (n, i == 0 ? Array.Empty<string>() : [names[i - 1]])).ToArray());
        h.WriteRaw("2013-05-01", "row\n");
        Directory.CreateDirectory(h.WorkspaceFile(".cairn"));
        return h;
    }
}
