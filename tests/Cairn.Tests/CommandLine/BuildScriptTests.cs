using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// The real command line: <c>./build.sh</c> (bootstrap, Release build, Cake, the engine, the real stages) on raw data
/// made from the shipped sample, in temp workspaces.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class BuildScriptTests
{
    // Every fourth day of the sample: 366 days over four years, enough for the evaluation gate to hold as on the full sample.
    private const int Days = 366;
    private const int Step = 4;
    private static readonly string[] ComparedFolders = ["data", "artifacts"];

    [Fact]
    public void Package_runs_the_pipeline_end_to_end_then_a_rerun_skips_every_stage_and_rewrites_nothing()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", Days, Step);

        var first = BuildSh(env, "--target=Package").ShouldExitWith(0);

        first.Output.ShouldContain($"Ingest: run {Days} cells: first run ({Days})");
        first.Output.ShouldContain("Package: run, first run");
        var workspace = env.PathOf("ws");
        var latest = File.ReadAllText(Path.Combine(workspace, "artifacts", "LATEST")).Trim();
        latest.ShouldStartWith("model-");
        File.Exists(Path.Combine(workspace, "artifacts", latest, "manifest.json")).ShouldBeTrue();
        File.Exists(Path.Combine(workspace, "artifacts", latest, "model.json")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(workspace, "reports", "report.md")).ShouldContain("```mermaid");
        Directory.GetFiles(Path.Combine(workspace, "checkpoints"), "*.ok", SearchOption.AllDirectories).Length.ShouldBe((Days * 3) + 5);
        Directory.GetFiles(Path.Combine(workspace, "logs", "runs"), "Ingest.log", SearchOption.AllDirectories).ShouldHaveSingleItem();
        File.ReadAllText(Directory.GetFiles(Path.Combine(workspace, "logs", "runs"), "Ingest.log", SearchOption.AllDirectories)[0]).ShouldContain("date=2012-01-01 ");
        var checkpoints = Directory.GetFiles(Path.Combine(workspace, "checkpoints"), "*.ok", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (File.ReadAllText(f), File.GetLastWriteTimeUtc(f)));

        var second = BuildSh(env, "--target=Package").ShouldExitWith(0);

        foreach (var stage in new[] { "Ingest", "Validate", "Clean" })
        {
            second.Output.ShouldContain($"{stage}: skipped, all {Days} cells up to date");
        }

        foreach (var stage in new[] { "ValidationSummary", "Train", "Evaluate", "Report", "Package" })
        {
            second.Output.ShouldContain($"{stage}: skipped, up to date");
        }

        Directory.GetFiles(Path.Combine(workspace, "checkpoints"), "*.ok", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (File.ReadAllText(f), File.GetLastWriteTimeUtc(f)))
            .ShouldBe(checkpoints);
    }

    [Fact]
    public void Changing_one_raw_day_reruns_that_days_cells_and_the_whole_dataset_stages_whose_inputs_changed()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", Days, Step);
        BuildSh(env, "--target=Package").ShouldExitWith(0);
        var file = env.PathOf("raw/date=2012-03-01/weather.csv");
        File.WriteAllText(file, File.ReadAllText(file).Replace(",sun", ",rain", StringComparison.Ordinal).Replace(",0.0,", ",3.5,", StringComparison.Ordinal));

        var run = BuildSh(env, "--target=Package").ShouldExitWith(0);

        run.Output.ShouldContain("Ingest date=2012-03-01: run, input changed: $raw/date=2012-03-01/weather.csv");
        run.Output.ShouldContain($"Ingest: {Days - 1} cells up to date, skipped");
        run.Output.ShouldContain("Validate date=2012-03-01: run, input changed: data/ingested/date=2012-03-01/weather.csv");
        run.Output.ShouldContain("Clean date=2012-03-01: run, input changed:");
        run.Output.ShouldContain("Train: run, input changed: data/features/date=2012-03-01/features.csv");
    }

    [Fact]
    public void Two_clean_runs_produce_byte_identical_data_model_and_manifest()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", Days, Step);
        BuildSh(env, "--target=Package").ShouldExitWith(0);
        BuildSh(env, "--target=Package", $"--workspace={env.PathOf("ws2")}").ShouldExitWith(0);

        var first = Snapshot(env.PathOf("ws"));
        var second = Snapshot(env.PathOf("ws2"));

        second.Keys.ShouldBe(first.Keys);
        foreach (var (path, bytes) in first)
        {
            second[path].ShouldBe(bytes, $"{path} differs between two clean runs");
        }
    }

    [Fact]
    public void Bad_arguments_exit_2_before_any_stage_runs_naming_each_problem()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);

        var run = BuildSh(env, "--target=Package", "--partition=2012-02-30", "--env=qa").ShouldExitWith(2);

        run.Output.ShouldContain("--partition=2012-02-30: '2012-02-30' is not a calendar date: February 2012 has 29 days; write it as YYYY-MM-DD, e.g. 2013-05-03.");
        run.Output.ShouldContain("--env=qa: use one of local, ci, prod.");
        Directory.Exists(env.PathOf("ws/checkpoints")).ShouldBeFalse();
    }

    [Fact]
    public void Relative_workspace_and_raw_paths_start_in_the_directory_build_sh_was_run_from()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 2, 1);

        var run = Processes.Run(Repository.PathOf("build.sh"), ["--target=Ingest", "--partition=2012-01-02", "--raw=raw", "--workspace=ws"], env.Root)
            .ShouldExitWith(0);

        run.Output.ShouldContain("Ingest date=2012-01-02: run, first run");
        File.Exists(env.PathOf("ws/checkpoints/date=2012-01-02/Ingest.ok")).ShouldBeTrue();
        Directory.Exists(Repository.PathOf("build/ws")).ShouldBeFalse("nothing lands beside the Cake script");
    }

    [Fact]
    public void Unknown_target_exits_2_listing_the_valid_ones()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);

        var run = BuildSh(env, "--target=Pakage").ShouldExitWith(2);

        run.Output.ShouldContain("Target 'Pakage' does not exist. Did you mean 'Package'? Available targets are: Approve, Clean, Evaluate, Export, Graph, Health, Help, History, Ingest, Lineage, Pack, Package, Prune, Reject, Report, Reviews, Rollback, Serve, Status, Train, Validate, ValidationSummary, Verify.");
    }

    [Fact]
    public void A_failing_stage_exits_1_naming_stage_and_partition_and_later_stages_do_not_run()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 5);
        var broken = env.PathOf("raw/date=2012-01-03/weather.csv");
        // A header naming temp_min twice cannot be read (CAIRN1003); a renamed column would be schema drift, held for a
        // person's approval (exit 3), not a failure.
        File.WriteAllText(broken, File.ReadAllText(broken).Replace("temp_max", "temp_min", StringComparison.Ordinal));

        var run = BuildSh(env, "--target=Package").ShouldExitWith(1);

        run.Output.ShouldContain("Stage 'Ingest' failed for date=2012-01-03:");
        run.Output.ShouldContain("temp_min");
        Directory.Exists(env.PathOf("ws/artifacts")).ShouldBeFalse();
        File.Exists(env.PathOf("ws/checkpoints/date=2012-01-03/Ingest.ok")).ShouldBeFalse();
        File.Exists(env.PathOf("ws/checkpoints/date=2012-01-03/Validate.ok")).ShouldBeFalse();
    }

    [Fact]
    public void Cake_tree_shows_the_dag_without_running_a_stage()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);

        var run = BuildSh(env, "--target=Package", "--tree").ShouldExitWith(0);

        run.Output.ShouldContain("Package");
        run.Output.ShouldContain("Ingest");
        Directory.Exists(env.PathOf("ws/checkpoints")).ShouldBeFalse();
    }

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments)
    {
        var all = arguments.ToList();
        if (!all.Any(a => a.StartsWith("--workspace=", StringComparison.Ordinal)))
        {
            all.Add($"--workspace={env.PathOf("ws")}");
        }

        all.Add($"--raw={env.PathOf("raw")}");
        return Processes.Run(Repository.PathOf("build.sh"), all, Repository.Root);
    }

    private static Dictionary<string, byte[]> Snapshot(string workspace) =>
        ComparedFolders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(workspace, folder), "*", SearchOption.AllDirectories))
            .ToDictionary(f => Path.GetRelativePath(workspace, f), File.ReadAllBytes);
}
