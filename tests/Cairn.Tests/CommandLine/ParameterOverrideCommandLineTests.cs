using System.Text.Json;
using Cairn.Tests.Observability;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// <c>--set</c> through the real <c>./build.sh</c> on the sample pipeline: Cake hands a repeated argument over whole,
/// the cell re-runs and runs back when the override is dropped, the value reaches the checkpoint, the run log and the
/// package manifest; a bad one is one message with its fix on stderr, exit 2, nothing written.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class ParameterOverrideCommandLineTests
{
    [Fact]
    public void Set_reruns_train_and_evaluate_is_recorded_everywhere_and_dropping_it_builds_the_first_package_again()
    {
        using var env = new TestEnvironment();
        // Every fourth day over the four years, as BuildScriptTests do: enough for the evaluation gate to hold.
        SampleRaw.Write(env, "raw", 366, 4);
        BuildSh(env, "--target=Package").ShouldExitWith(0);
        var first = Latest(env);

        var set = BuildSh(env, "--target=Package", "--set=Train.l2=0.5", "--set=Evaluate.MinAuc=0.7").ShouldExitWith(0);
        var overridden = Latest(env);
        var manifest = Manifest(env, overridden);
        var checkpoint = JsonDocument.Parse(File.ReadAllText(env.PathOf("ws/checkpoints/Train.ok"))).RootElement.GetProperty("parameters").GetProperty("L2").GetString();
        var back = BuildSh(env, "--target=Package").ShouldExitWith(0);

        set.Output.ShouldContain("Clean: skipped, all 366 cells up to date\n");
        set.Output.ShouldContain("Train: run, parameter changed (L2: 1 → 0.5)\n");
        set.Output.ShouldContain("Evaluate: run, parameter changed (MinAuc: 0.8 → 0.7)\n");
        checkpoint.ShouldBe("0.5");
        manifest.GetProperty("overrides").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").ShouldBe(["Evaluate.MinAuc=0.7", "Train.L2=0.5"]);
        manifest.GetProperty("parameters").GetProperty("l2").GetDouble().ShouldBe(0.5);
        overridden.ShouldNotBe(first);
        Sql.Query(env.PathOf("ws/.cairn/runs.db"), "SELECT parameter_overrides AS o FROM pipeline_run_log ORDER BY started_at").Select(r => r["o"])
            .ShouldBe(["{}", """{"Evaluate.MinAuc":"0.7","Train.L2":"0.5"}""", "{}"]);
        back.Output.ShouldContain("Train: run, parameter changed (L2: 0.5 → 1)\n");
        back.Output.ShouldContain("Evaluate: run, parameter changed (MinAuc: 0.7 → 0.8)\n");
        Latest(env).ShouldBe(first, "without the overrides the package is the first one again, byte for byte");
        Manifest(env, first).TryGetProperty("overrides", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("--set=Trian.l2=0.5", "--set=Trian.l2=0.5: there is no stage 'Trian'. Did you mean Train? The stages are ")]
    [InlineData("--set=Train.l3=0.5", "--set=Train.l3=0.5: stage 'Train' (TrainRainModel) has no parameter 'l3'. Did you mean L2? Its parameters are FeatureColumns, HoldoutFraction, L2, Label, MaxIterations, MinTrainingRows, Seed, Tolerance (snake_case works too: max_iterations for MaxIterations).")]
    [InlineData("--set=Train.max_iterations=many", "--set=Train.max_iterations=many: Train's MaxIterations is of type int, and 'many' is not one; give a whole number from -2147483648 to 2147483647.")]
    [InlineData("--set=Report.stage_states=x", "--set=Report.stage_states=x: Report's StageStates is bound to {run} at ")]
    [InlineData("--set=Report.DagEdges=x", "--set=Report.DagEdges=x: Report's DagEdges is bound to {dag} at ")]
    [InlineData("--set=Train.l2=0.5 --target=Clean", "--set=Train.l2=0.5: the target runs Ingest, Validate, Clean, not Train, so this value would change nothing; drop it, or run a target that includes Train (e.g. --target=Train).")]
    public void A_bad_set_is_one_message_with_its_fix_exit_2_and_nothing_written(string arguments, string message)
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 40);

        var run = ProcessStreams.Run(Repository.PathOf("build.sh"), [.. arguments.Split(' '), $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root).ShouldExitWith(2);

        run.StandardOutput.ShouldBeEmpty();
        run.StandardError.TrimEnd('\n').Split('\n')[^1].ShouldStartWith(message);
        Directory.Exists(env.PathOf("ws")).ShouldBeFalse();
    }

    private static string Latest(TestEnvironment env) => File.ReadAllText(env.PathOf("ws/artifacts/LATEST")).Trim();

    private static JsonElement Manifest(TestEnvironment env, string package) =>
        JsonDocument.Parse(File.ReadAllText(env.PathOf($"ws/artifacts/{package}/manifest.json"))).RootElement.Clone();

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments) =>
        Processes.Run(Repository.PathOf("build.sh"), [.. arguments, $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root);
}
