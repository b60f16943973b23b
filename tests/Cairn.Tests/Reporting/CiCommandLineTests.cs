using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reporting;

/// <summary><c>./build.sh</c> as a CI service runs it: <c>CI=true</c>, and on GitHub Actions <c>GITHUB_ACTIONS=true</c> with a step summary file.</summary>
[Collection(BuildScriptRuns.Name)]
public sealed class CiCommandLineTests
{
    private const char Escape = '\u001b';

    [Fact]
    public void On_GitHub_Actions_build_sh_writes_no_colour_codes_folds_each_stage_and_appends_the_step_summary()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);

        var run = BuildSh(env, GitHub(env), "--target=Clean").ShouldExitWith(0);

        run.Output.ShouldNotContain(Escape);
        foreach (var stage in new[] { "Ingest", "Validate", "Clean" })
        {
            run.Output.ShouldContain($"::group::{stage}\n{stage} date=2012-01-01: run, first run\n", Case.Sensitive);
        }

        run.Output.ShouldContain("Cairn run ");
        run.Output.ShouldContain(" (ci, 3 partitions)");
        var summary = File.ReadAllText(env.PathOf("summary.md"));
        summary.ShouldStartWith("## Cairn run succeeded: weather, target Clean\n", Case.Sensitive);
        summary.ShouldContain("| Clean | 3 | 3 | 0 | 0 |", Case.Sensitive);
        summary.ShouldContain("- **Ingest**: first run (3 cells)\n", Case.Sensitive);
    }

    [Fact]
    public void On_GitHub_Actions_a_failing_cell_exits_1_with_an_error_annotation_naming_stage_and_partition()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);
        var broken = env.PathOf("raw/date=2012-01-02/weather.csv");
        // A repeated header name (CAIRN1003) fails Ingest; a renamed column would be schema drift, held (exit 3).
        File.WriteAllText(broken, File.ReadAllText(broken).Replace("temp_max", "temp_min", StringComparison.Ordinal));

        var run = BuildSh(env, GitHub(env), "--target=Clean").ShouldExitWith(1);

        run.Output.Split('\n').ShouldContain(line => line.StartsWith("::error title=Stage Ingest failed for date=2012-01-02::Stage 'Ingest' failed for date=2012-01-02: ", StringComparison.Ordinal) && line.Contains("temp_min", StringComparison.Ordinal));
        File.ReadAllText(env.PathOf("summary.md")).ShouldStartWith("## Cairn run failed: weather, target Clean\n", Case.Sensitive);
    }

    [Fact]
    public void FORCE_COLOR_keeps_the_colour_codes_in_CI()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 1);
        var variables = GitHub(env);
        variables["FORCE_COLOR"] = "1";

        var run = BuildSh(env, variables, "--target=Ingest").ShouldExitWith(0);

        run.Output.ShouldContain(Escape);
    }

    private static Dictionary<string, string?> GitHub(TestEnvironment env) => new()
    {
        ["CI"] = "true",
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_STEP_SUMMARY"] = env.PathOf("summary.md"),
        // Unset: build.sh itself must keep colour codes out of a CI log.
        ["NO_COLOR"] = null,
    };

    private static ProcessResult BuildSh(TestEnvironment env, Dictionary<string, string?> variables, params string[] arguments) =>
        Processes.Run(
            Repository.PathOf("build.sh"),
            [.. arguments, $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"],
            Repository.Root,
            variables);
}
