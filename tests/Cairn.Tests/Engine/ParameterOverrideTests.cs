using System.Text.Json;
using Cairn.Tests.Observability;

namespace Cairn.Tests.Engine;

/// <summary>
/// <c>--set=Stage.parameter=value</c>: a stage parameter for one run, fingerprinted like an edit of the pipeline
/// file, recorded in the checkpoint, the run log and (through <c>{overrides}</c>) whatever the pipeline binds to it;
/// every bad one is a usage error with its fix, reported with the other arguments' problems, before anything runs.
/// </summary>
public sealed class ParameterOverrideTests
{
    [Fact]
    public void A_set_parameter_reruns_its_cells_a_repeat_skips_them_and_dropping_it_reruns_them_again()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();

        var set = h.Run("--set=Upper.suffix=?").ShouldSucceed();
        var again = h.Run("--set=Upper.Suffix=?").ShouldSucceed();
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("ROW OF 2013-05-01?\nROW OF 2013-05-02?\n");
        Parameters(h.Checkpoint("Upper", "2013-05-01"))["Suffix"].ShouldBe("?");
        var dropped = h.Run().ShouldSucceed();

        set.Output.ShouldContain("Upper date=2013-05-01: run, parameter changed (Suffix: ! → ?)\n");
        set.Output.ShouldContain("Concat: run, input changed: data/upper/date=2013-05-01/upper.txt, data/upper/date=2013-05-02/upper.txt\n");
        again.Output.ShouldContain("Upper: skipped, all 2 cells up to date\n");
        again.Output.ShouldContain("Concat: skipped, up to date\n");
        dropped.Output.ShouldContain("Upper date=2013-05-02: run, parameter changed (Suffix: ? → !)\n");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("ROW OF 2013-05-01!\nROW OF 2013-05-02!\n");
        Parameters(h.Checkpoint("Upper", "2013-05-01"))["Suffix"].ShouldBe("!");
    }

    [Fact]
    public void A_parameter_the_pipeline_leaves_unbound_can_be_set_and_is_typed_and_canonical()
    {
        using var h = new EngineHarness(PipelineYaml.Faulty("none"), ("Faulty", []));
        h.WriteRaw("2013-05-01", "a\n");
        h.Run().ShouldSucceed();

        var run = h.Run("--set=Faulty.seconds=.50", "--set=Faulty.seed=7").ShouldSucceed();

        run.Output.ShouldContain("Faulty date=2013-05-01: run, parameter changed (Seconds: (none) → 0.5; Seed: (none) → 7)\n");
        var parameters = Parameters(h.Checkpoint("Faulty", "2013-05-01"));
        parameters["Seconds"].ShouldBe("0.5");
        parameters["Seed"].ShouldBe("7");
    }

    [Fact]
    public void The_run_log_row_records_the_runs_overrides_and_an_empty_object_without_any()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        h.Run("--set=Upper.suffix=?").ShouldSucceed();
        h.Run().ShouldSucceed();

        Sql.Query(Inspection.RunLog(h), "SELECT parameter_overrides AS o, arguments AS a FROM pipeline_run_log ORDER BY started_at, rowid")
            .Select(r => $"{r["o"]} {r["a"]}")
            .ShouldBe([$$"""{"Upper.Suffix":"?"} {"workspace":"{{h.Workspace.Replace("\\", "\\\\", StringComparison.Ordinal)}}","parallelism":"1","raw":"{{h.Raw.Replace("\\", "\\\\", StringComparison.Ordinal)}}"}""", $$"""{} {"workspace":"{{h.Workspace.Replace("\\", "\\\\", StringComparison.Ordinal)}}","parallelism":"1","raw":"{{h.Raw.Replace("\\", "\\\\", StringComparison.Ordinal)}}"}"""]);
    }

    [Fact]
    public void A_parameter_bound_to_overrides_gets_them_and_is_fingerprinted_so_its_cell_reruns_when_they_change()
    {
        using var h = new EngineHarness(
            PipelineYaml.TwoStages().Stage("States", "Cairn.Tests.Reporting.TestStages.RunStatesStage", s => s.Input("Input", "data/all.txt").Output("Output", "reports/states.txt").Parameter("States", "{overrides}")),
            ("Upper", []),
            ("Concat", ["Upper"]),
            ("States", ["Concat"]));
        h.WriteRaw("2013-05-01", "a\n");
        h.Run().ShouldSucceed();

        // The pipeline's own value, set again: no data changes, only what the run was told.
        var set = h.Run("--set=Upper.suffix=!").ShouldSucceed();
        var withOverrides = File.ReadAllText(h.WorkspaceFile("reports/states.txt"));
        var dropped = h.Run().ShouldSucceed();

        set.Output.ShouldContain("Upper: skipped, up to date\nConcat: skipped, up to date\n");
        set.Output.ShouldContain("States: run, parameter changed (States: [] → [\"Upper.Suffix=!\"])\n");
        withOverrides.ShouldBe("A!\nUpper.Suffix=!\n");
        dropped.Output.ShouldContain("States: run, parameter changed (States: [\"Upper.Suffix=!\"] → [])\n");
        File.ReadAllText(h.WorkspaceFile("reports/states.txt")).ShouldBe("A!\n\n");
    }

    [Fact]
    public void The_package_manifest_records_the_overrides_and_leaves_them_out_when_there_are_none()
    {
        using var h = new EngineHarness(
            PipelineYaml.TwoStages().Stage("Package", "Cairn.Stages.Common.PackageArtifact", s => s.Input("Files", "data/all.txt").Output("ArtifactsDirectory", "artifacts").Parameter("Name", "test").Parameter("Overrides", "{overrides}")),
            ("Upper", []),
            ("Concat", ["Upper"]),
            ("Package", ["Concat"]));
        h.WriteRaw("2013-05-01", "a\n");
        h.Run().ShouldSucceed();
        var plain = Manifest(h);

        h.Run("--set=Upper.suffix=!", "--set=Package.name=test").ShouldSucceed();
        var set = Manifest(h);
        h.Run().ShouldSucceed();

        plain.TryGetProperty("overrides", out _).ShouldBeFalse();
        set.GetProperty("overrides").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").ShouldBe(["Package.Name=test", "Upper.Suffix=!"]);
        Manifest(h).TryGetProperty("overrides", out _).ShouldBeFalse("the run without --set built the package again, without them");
    }

    [Fact]
    public void Status_with_set_says_what_a_run_with_it_would_rerun()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();

        var status = Inspection.Run(h, s => s.Status(), "--set=Upper.suffix=?");

        status.ShouldContain("  Upper date=2013-05-01: parameter changed: Suffix: ! → ?\n");
    }

    [Fact]
    public void Every_bad_set_is_a_usage_error_with_its_fix_reported_with_the_other_arguments_and_nothing_is_written()
    {
        using var h = new EngineHarness(
            PipelineYaml.Faulty("none").Stage("States", "Cairn.Tests.Reporting.TestStages.RunStatesStage", s => s.Input("Input", "data/out/date=2013-05-01/out.txt").Output("Output", "reports/states.txt").Parameter("States", "{run}")),
            ("Faulty", []),
            ("States", ["Faulty"]));
        h.WriteRaw("2013-05-01", "a\n");

        var run = h.Run(
            "--set=Faulty.seconds=soon",
            "--set=Faulty.seed=1.5",
            "--set=Fautly.seed=1",
            "--set=Faulty.sede=1",
            "--set=Faulty.partition=2013-05-01",
            "--set=States.states=a",
            "--set=Faulty.fault={dag}",
            "--set=seed=1",
            "--set=Faulty.fail_on=x",
            "--set=Faulty.FailOn=y",
            "--env=qa");

        run.UsageError.ShouldBeTrue();
        ((CairnUsageException)run.Failure!).Problems.ShouldBe(
        [
            "--env=qa: use one of local, ci, prod.",
            "--set=Faulty.seconds=soon: Faulty's Seconds is of type double, and 'soon' is not one; give a number (e.g. 0.25 or 1e-8).",
            "--set=Faulty.seed=1.5: Faulty's Seed is of type int, and '1.5' is not one; give a whole number from -2147483648 to 2147483647.",
            "--set=Fautly.seed=1: there is no stage 'Fautly'. Did you mean Faulty? The stages are Faulty, States.",
            "--set=Faulty.sede=1: stage 'Faulty' (TestStage) has no parameter 'sede'. Did you mean Seed? Its parameters are FailOn, Failures, Fault, GoodFrom, Partition, Seconds, Seed (snake_case works too: max_iterations for MaxIterations).",
            $"--set=Faulty.partition=2013-05-01: Faulty's Partition is bound to {{date}} at {h.Env.PathOf("pipeline/pipeline.yaml")}:12 (Partition), which Cairn fills in itself for each cell, so it cannot be set; drop this --set.",
            $"--set=States.states=a: States's States is bound to {{run}} at {h.Env.PathOf("pipeline/pipeline.yaml")}:22 (States), which Cairn fills in itself for each run, so it cannot be set; drop this --set.",
            "--set=Faulty.fault={dag}: a value set on the command line is taken as written, and {dag} is filled in only from the pipeline file; give the value itself.",
            "--set=seed=1: write it as --set=Stage.parameter=value, e.g. --set=Train.l2=0.5.",
            "--set=Faulty.fail_on=x and --set=Faulty.FailOn=y both set Faulty.FailOn; give it once.",
        ]);
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    [Fact]
    public void Setting_a_parameter_of_a_stage_the_target_does_not_run_is_refused()
    {
        // The target is the last stage of the graph, Upper; States is downstream of it.
        using var h = new EngineHarness(
            PipelineYaml.TwoStages().Stage("States", "Cairn.Tests.Reporting.TestStages.RunStatesStage", s => s.Input("Input", "data/all.txt").Output("Output", "reports/states.txt").Parameter("States", "a")),
            ("States", ["Concat"]),
            ("Concat", ["Upper"]),
            ("Upper", []));
        h.WriteRaw("2013-05-01", "a\n");

        var run = h.Run("--set=States.states=b", "--set=Upper.suffix=?");

        ((CairnUsageException)run.Failure!).Problems.ShouldBe(
            ["--set=States.states=b: the target runs Upper, not States, so this value would change nothing; drop it, or run a target that includes States (e.g. --target=States)."]);
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    private static Dictionary<string, string> Parameters(string checkpoint) =>
        JsonDocument.Parse(File.ReadAllText(checkpoint)).RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    private static JsonElement Manifest(EngineHarness h)
    {
        var folder = Directory.GetDirectories(h.WorkspaceFile("artifacts")).ShouldHaveSingleItem();
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json"))).RootElement.Clone();
    }
}
