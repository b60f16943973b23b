
namespace Cairn.Tests.Engine;

public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("--partition=2013-02-30", "--partition=2013-02-30: '2013-02-30' is not a calendar date: February 2013 has 28 days; write it as YYYY-MM-DD, e.g. 2013-05-03.")]
    [InlineData("--partition=2013-13-01", "--partition=2013-13-01: '2013-13-01' has no month 13; write it as YYYY-MM-DD, e.g. 2013-05-03.")]
    [InlineData("--partition=May 3rd", "--partition=May 3rd: 'May 3rd' is not a date in the form YYYY-MM-DD; write it as YYYY-MM-DD, e.g. 2013-05-03.")]
    [InlineData("--from=2013-05-03|--to=2013-05-01", "--from=2013-05-03 is after --to=2013-05-01; swap them (the range is inclusive).")]
    [InlineData("--env=staging", "--env=staging: use one of local, ci, prod.")]
    [InlineData("--force=Uper", "--force=Uper: there is no stage 'Uper'. The stages are Upper, Concat.")]
    [InlineData("--parition=2013-05-01", "--parition is not an argument Cairn knows; did you mean --partition? Cairn's arguments are --pipeline, --partition, --from, --to, --raw, --workspace, --force, --env, --keep-going, --skip, --parallelism, --no-wait, --timeout, --cache, --cache-mode, --executor, --slurm-partition, --slurm-account, --slurm-time, --slurm-mem, --slurm-flags, --slurm-cells-per-task, --slurm-pending-limit, --strict, --set, --run-token, --review, --reason, --by, --artifact, --format, --output, --check, --verbose, --limit, --run, --summary.")]
    [InlineData("--cache=ftp://cache.example/cairn", "--cache=ftp://cache.example/cairn: the cache must be an http:// or https:// URL, e.g. http://cache.example:8080/cairn (any WebDAV/HTTP store that answers GET, PUT and HEAD).")]
    [InlineData("--cache=http://me:secret@cache.example/cairn", "--cache=http://me:secret@cache.example/cairn: give the cache's address alone, without user, query or fragment; a bearer token goes in the environment variable CAIRN_CACHE_TOKEN.")]
    [InlineData("--cache=http://cache.example/cairn|--cache-mode=sometimes", "--cache-mode=sometimes: use one of read, write, readwrite, off (default readwrite when a cache is set).")]
    [InlineData("--partition=2013-05-01|--from=2013-05-01", "--partition cannot be combined with --from/--to; use --partition=DAY for one day, or --from=DAY --to=DAY for a range.")]
    public void Bad_argument_is_refused_before_any_stage_runs_with_the_fix(string arguments, string message)
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");

        var run = h.Run(arguments.Split('|'));

        run.UsageError.ShouldBeTrue();
        ((CairnUsageException)run.Failure!).Problems.ShouldBe([message]);
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }

    [Fact]
    public void Date_with_no_raw_data_is_refused_naming_the_expected_folder_and_the_span()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");

        var run = h.Run("--partition=2013-05-09");

        run.Failure!.Message.ShouldBe($"--partition=2013-05-09: there is no raw data for that day; expected {Path.Combine(h.Raw, "date=2013-05-09")}/*.csv. Raw data spans 2013-05-01 to 2013-05-02 (2 days).");
    }

    [Fact]
    public void Range_with_no_raw_data_is_refused()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");

        var run = h.Run("--from=2014-01-01", "--to=2014-01-31");

        run.Failure!.Message.ShouldBe("--from/--to select no partition: there is no raw data from 2014-01-01 to 2014-01-31. Raw data spans 2013-05-01 to 2013-05-02 (2 days).");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var run = h.Run("--from=2013-02-30", "--env=qa", "--force=Nope");

        ((CairnUsageException)run.Failure!).Problems.Count.ShouldBe(3);
    }

    [Fact]
    public void Raw_folder_that_does_not_exist_is_refused_naming_it()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var missing = h.Env.PathOf("nowhere");

        var run = h.Run($"--raw={missing}");

        run.Failure!.Message.ShouldBe($"--raw={missing}: the folder {missing} does not exist; pass a folder that holds date=YYYY-MM-DD/*.csv partitions.");
    }

    [Fact]
    public void Workspace_that_cannot_be_written_is_refused()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var file = h.Env.WriteFile("a-file", "not a folder");

        var run = h.Run($"--workspace={file}");

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldStartWith($"--workspace={file}: cannot write there (");
    }

    [Fact]
    public void A_host_graph_that_misses_a_data_dependency_is_refused_with_the_fix()
    {
        using var h = new EngineHarness(PipelineYaml.TwoStages(), ("Upper", []), ("Concat", []));
        h.WriteRaw("2013-05-01", "x\n");

        var run = h.Run();

        run.Failure!.Message.ShouldBe("Stage 'Concat' reads what 'Upper' writes, but the target 'Concat' does not depend on 'Upper'; a host makes each stage's target depend on the stages it reads from.");
    }

    [Fact]
    public void Cake_graph_with_a_data_dependency_the_wrong_way_round_names_the_dependency_to_turn_round_not_one_that_makes_a_cycle()
    {
        using var h = new EngineHarness(PipelineYaml.TwoStages(), ("Concat", []), ("Upper", ["Concat"]));
        h.WriteRaw("2013-05-01", "x\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.Failure!.Message.ShouldBe("Stage 'Concat' reads what 'Upper' writes, but the target 'Concat' does not depend on 'Upper': 'Upper' depends on 'Concat' instead (Upper -> Concat), the other way round, so adding it would make a cycle. Remove .IsDependentOn(\"Concat\") from 'Upper' in the build script; Cairn then runs 'Upper' before 'Concat'.");
    }

    [Fact]
    public void Cake_graph_that_reaches_the_reader_through_another_task_names_the_link_that_waits_for_it()
    {
        using var h = new EngineHarness(PipelineYaml.TwoStages(), ("Concat", []), ("Between", ["Concat"]), ("Upper", ["Between"]));
        h.WriteRaw("2013-05-01", "x\n");

        var run = h.Run();

        run.Failure!.Message.ShouldEndWith("'Upper' depends on 'Concat' instead (Upper -> Between -> Concat), the other way round, so adding it would make a cycle. Remove .IsDependentOn(\"Concat\") from 'Between' in the build script; Cairn then runs 'Upper' before 'Concat'.");
    }

    [Fact]
    public void Pipeline_binding_unknown_properties_lists_the_valid_ones()
    {
        var yaml = new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt").Parameter("Sufix", "!"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper/date={each}/upper.txt").Output("Combined", "data/all.txt").Output("Extra", "data/x.txt"));
        using var h = new EngineHarness(yaml, ("Upper", []), ("Concat", ["Upper"]));
        h.WriteRaw("2013-05-01", "x\n");

        var problems = ((CairnUsageException)h.Run().Failure!).Problems;

        problems.ShouldContain(p => p.EndsWith("'Sufix' is not a [StageParameter] of UpperCaseStage (stage 'Upper'); its parameters are Suffix.", StringComparison.Ordinal));
        problems.ShouldContain(p => p.EndsWith("stage 'Concat' (ConcatStage): 'Extra' is not a [StageOutput] of the task; its outputs are Combined.", StringComparison.Ordinal));
    }

    [Fact]
    public void Partitioned_output_without_date_is_refused()
    {
        var yaml = PipelineYaml.TwoStages(upperOutput: "data/upper.txt");
        using var h = new EngineHarness(yaml, ("Upper", []), ("Concat", ["Upper"]));
        h.WriteRaw("2013-05-01", "x\n");

        var run = h.Run();

        run.Failure!.Message.ShouldContain("stage 'Upper' is partitioned, so output 'Output: data/upper.txt' must contain {partition} (or {date} in a pipeline of days); otherwise every partition would overwrite the same file.");
    }

    [Fact]
    public void A_cycle_in_the_data_flow_is_refused_with_its_path_before_cake_sees_the_cyclic_graph()
    {
        var pipeline = new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Input("Sources", "data/all.txt").Output("Output", "data/upper.txt"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper.txt").Output("Combined", "data/all.txt"));
        // The graph a user gets by following the advice for each stage: each depends on the other.
        using var h = new EngineHarness(pipeline, ("Upper", ["Concat"]), ("Concat", ["Upper"]));

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        ((CairnUsageException)run.Failure!).Problems.ShouldBe(
        [
            $"{h.Env.PathOf("pipeline/pipeline.yaml")}: the data flow has a cycle, Upper -> Concat -> Upper: Concat reads data/upper.txt, which Upper writes; Upper reads data/all.txt, which Concat writes. A stage cannot read, directly or through other stages, what it writes itself; change the paths so that the data flows one way.",
        ]);
    }

    [Fact]
    public void A_cycle_through_other_stages_is_named_whole()
    {
        var pipeline = new PipelineYaml()
            .Stage("Clean", "UpperCaseStage", s => s.Input("Sources", "{raw}/date=2013-05-01/part.csv", "data/evaluation.txt").Output("Output", "data/clean.txt"))
            .Stage("Train", "UpperCaseStage", s => s.Input("Sources", "data/clean.txt").Output("Output", "data/model.txt"))
            .Stage("Evaluate", "ConcatStage", s => s.Input("Parts", "data/model.txt").Output("Combined", "data/evaluation.txt"));
        using var h = new EngineHarness(pipeline, ("Clean", []), ("Train", ["Clean"]), ("Evaluate", ["Train"]));
        h.WriteRaw("2013-05-01", "x\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        var problem = ((CairnUsageException)run.Failure!).Problems.ShouldHaveSingleItem("the cycle, and no advice to add the dependency that would close it in Cake's graph");
        problem.ShouldContain(": the data flow has a cycle, Clean -> Train -> Evaluate -> Clean: Train reads data/clean.txt, which Clean writes; Evaluate reads data/model.txt, which Train writes; Clean reads data/evaluation.txt, which Evaluate writes.");
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }
}
