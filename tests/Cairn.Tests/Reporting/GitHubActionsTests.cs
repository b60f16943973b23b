using System.Text.RegularExpressions;
using Cairn.Tests.Engine;
using Cairn.Tests.Notifications;

namespace Cairn.Tests.Reporting;

public sealed partial class GitHubActionsTests
{
    [Fact]
    public void On_GitHub_Actions_each_stage_is_folded_into_a_log_group()
    {
        using var h = OnGitHub(EngineHarness.TwoStages("2013-05-01", "2013-05-02"));

        var run = h.Run().ShouldSucceed();

        run.Lines.TakeWhile(l => !l.StartsWith("Cairn run ", StringComparison.Ordinal)).Select(Masked).ShouldBe(
        [
            "::group::Upper",
            "Upper date=2013-05-01: run, first run",
            "Upper date=2013-05-02: run, first run",
            "Upper: ran 2 cells in <t> s (Rows 2)",
            "::endgroup::",
            "::group::Concat",
            "Concat: run, first run",
            "Concat: ran 1 cell in <t> s (PartsRead 2)",
            "::endgroup::",
        ]);
    }

    [Fact]
    public void A_failing_cell_becomes_an_error_annotation_naming_stage_partition_and_cause_after_its_group()
    {
        using var h = OnGitHub(NotifyingPipelines.FailingStage(string.Empty));

        var run = h.Run();

        run.Succeeded.ShouldBeFalse();
        var lines = run.Lines.ToList();
        lines.Where(l => l.StartsWith("::error", StringComparison.Ordinal)).ShouldBe(
        [
            "::error title=Stage Faulty failed for date=2013-05-02::Stage 'Faulty' failed for date=2013-05-02: CAIRN9901: the test stage was told to fail",
        ]);
        lines.IndexOf("::endgroup::").ShouldBe(lines.FindIndex(l => l.StartsWith("::error", StringComparison.Ordinal)) - 1);
    }

    [Fact]
    public void A_stage_that_cannot_start_closes_its_group_and_the_run_failure_is_the_annotation()
    {
        using var h = OnGitHub(EngineHarness.TwoStages("2013-05-01"));

        var run = h.RunExclusive("Concat");

        run.Succeeded.ShouldBeFalse();
        run.Lines.Where(l => l.StartsWith("::", StringComparison.Ordinal)).ShouldBe(
        [
            "::group::Concat",
            "::endgroup::",
            "::error title=Cairn run failed::Stage 'Concat' cannot run: its input Parts = data/upper/date=2013-05-01/upper.txt does not exist. It is written by 'Upper'; run a target that includes it (without --exclusive).",
        ]);
        var summary = File.ReadAllText(h.Variables["GITHUB_STEP_SUMMARY"]);
        summary.ShouldStartWith("## Cairn run failed: test, target Concat\n", Case.Sensitive);
        summary.ShouldContain("**Failed:** Stage 'Concat' cannot run: its input Parts = ", Case.Sensitive);
        summary.ShouldContain("    class Upper notrun\n    class Concat failed\n", Case.Sensitive);
    }

    [Fact]
    public void Each_run_appends_its_summary_to_the_file_GITHUB_STEP_SUMMARY_names()
    {
        using var h = OnGitHub(EngineHarness.TwoStages("2013-05-01", "2013-05-02", "2013-05-03"));
        File.WriteAllText(h.Variables["GITHUB_STEP_SUMMARY"], "# An earlier step's summary\n\n");

        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "changed row\n");
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();

        Approved.ShouldMatch(Masked(File.ReadAllText(h.Variables["GITHUB_STEP_SUMMARY"])), "tests/Cairn.Tests/Reporting/StepSummary.expected.txt");
    }

    [Fact]
    public void Without_GITHUB_ACTIONS_there_are_no_workflow_commands_and_no_summary()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Time = new ManualTime();
        h.Variables["CI"] = "true";
        h.Variables["GITHUB_STEP_SUMMARY"] = h.Env.PathOf("summary.md");

        var run = h.Run().ShouldSucceed();

        run.Lines.ShouldNotContain(l => l.StartsWith("::", StringComparison.Ordinal));
        File.Exists(h.Env.PathOf("summary.md")).ShouldBeFalse();
    }

    private static EngineHarness OnGitHub(EngineHarness h)
    {
        // A clock that stands still: no CI progress line can appear however slow the machine.
        h.Time = new ManualTime();
        h.Variables["CI"] = "true";
        h.Variables["GITHUB_ACTIONS"] = "true";
        h.Variables["GITHUB_STEP_SUMMARY"] = h.Env.PathOf("step-summary.md");
        return h;
    }

    private static string Masked(string text) => Seconds().Replace(RunId().Replace(text, "<run id>"), "<t> s");

    [GeneratedRegex(@"\d{8}T\d{6}Z-\d+-[0-9a-f]{4}")]
    private static partial Regex RunId();

    [GeneratedRegex(@"\d+\.\d\d s")]
    private static partial Regex Seconds();
}
