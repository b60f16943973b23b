using System.Text.Json;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary>
/// The observability targets through the real <c>./build.sh</c>: the run log written from inside Cake's process (the
/// native SQLite library found beside Cairn.Tasks.dll), Status's exit codes for CI, and its JSON on stdout.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class ObservabilityCommandLineTests
{
    [Fact]
    public void Status_check_exits_0_when_fresh_and_1_naming_the_stale_cell_after_a_raw_file_changes_and_history_shows_the_run()
    {
        using var env = new TestEnvironment();
        // Every fourth day over the four years, as BuildScriptTests do: enough for the evaluation gate to hold.
        var days = SampleRaw.Write(env, "raw", 366, 4);
        BuildSh(env, "--target=Package").ShouldExitWith(0);

        BuildSh(env, "--target=Status", "--check").ShouldExitWith(0).Output.ShouldContain("Clean: up to date (366 cells)");

        var file = env.PathOf($"raw/date={days[4]}/weather.csv");
        File.AppendAllText(file, File.ReadAllLines(file)[1] + "\n");
        var stale = BuildSh(env, "--target=Status", "--check").ShouldExitWith(1);

        stale.Output.ShouldContain($"  Ingest date={days[4]}: input changed: $raw/date={days[4]}/weather.csv (");
        stale.Output.ShouldContain($"  Validate date={days[4]}: upstream Ingest date={days[4]} is stale and will re-run first");
        stale.Output.ShouldContain("\nStale: 8 cells of 1,103 in 8 stages; ");

        var json = BuildSh(env, "--target=Status", "--format=json").ShouldExitWith(0);
        using var document = JsonDocument.Parse(json.Output);
        document.RootElement.GetProperty("staleCells").GetInt32().ShouldBeGreaterThan(0);
        document.RootElement.GetProperty("stages")[0].GetProperty("staleCells")[0].GetProperty("partition").GetString().ShouldBe(days[4]);

        var history = BuildSh(env, "--target=History").ShouldExitWith(0);
        history.Output.ShouldContain("Last 1 run in ");
        history.Output.ShouldContain(" succeeded ");
        var commit = Processes.Run("git", ["rev-parse", "HEAD"], Repository.Root).ShouldExitWith(0).Output.Trim();
        history.Output.ShouldContain($"  {commit[..8]}");
    }

    [Fact]
    public void Status_of_a_weeks_range_after_a_full_run_is_up_to_date_in_a_screen()
    {
        using var env = new TestEnvironment();
        var days = SampleRaw.Write(env, "raw", 366, 4);
        BuildSh(env, "--target=Package").ShouldExitWith(0);
        string[] week = [$"--from={days[100]}", $"--to={days[101]}"];

        var status = BuildSh(env, ["--target=Status", .. week]).ShouldExitWith(0);
        var verbose = BuildSh(env, ["--target=Status", "--verbose", .. week]).ShouldExitWith(0);

        // The whole-dataset stages read every day (reads: all), as the full run did: the range changes nothing they read.
        status.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBeLessThanOrEqualTo(25, status.Output);
        status.Output.ShouldContain("Train: up to date\n");
        status.Output.ShouldContain("Everything is up to date (");
        verbose.Output.ShouldBe(status.Output);
    }

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments) =>
        Processes.Run(Repository.PathOf("build.sh"), [.. arguments, $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root);
}
