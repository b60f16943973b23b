using System.Text.Json;
using Cairn.Engine.Plan;
using Cairn.Tests.Reporting;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// What <c>./build.sh</c> prints, through the real command line: Cairn's lines without Cake's banners and task table,
/// stdout and stderr each carrying what they should, colour codes only where asked for, and Cake's --dryrun, --tree
/// and --description recording nothing.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class ConsoleCommandLineTests
{
    private const string Escape = "\u001b[";

    [Fact]
    public void A_no_op_run_prints_one_line_per_stage_and_one_summary_in_at_most_17_lines_without_Cakes_banners_or_table()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 366, 4);
        BuildSh(env, "--target=Package").ShouldExitWith(0);

        var noOp = BuildSh(env, "--target=Package").ShouldExitWith(0);

        var lines = Lines(noOp.StandardOutput);
        lines.Length.ShouldBeLessThanOrEqualTo(17, noOp.StandardOutput);
        lines.Take(8).ShouldBe(
        [
            "Ingest: skipped, all 366 cells up to date",
            "Validate: skipped, all 366 cells up to date",
            "Clean: skipped, all 366 cells up to date",
            "ValidationSummary: skipped, up to date",
            "Train: skipped, up to date",
            "Evaluate: skipped, up to date",
            "Report: skipped, up to date",
            "Package: skipped, up to date",
        ]);
        lines[8].ShouldStartWith("Cairn run ");
        noOp.StandardOutput.ShouldNotContain("═");
        noOp.StandardOutput.ShouldNotContain("Duration");
        noOp.StandardError.ShouldBeEmpty();
    }

    [Fact]
    public void Status_check_with_stale_cells_exits_1_with_one_line_saying_how_many_and_no_Cake_error()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 5);

        var status = BuildSh(env, "--target=Status", "--check").ShouldExitWith(1);

        Lines(status.StandardOutput)[^1].ShouldBe("Stale: 20 cells of 20 in 8 stages; a run of a target that includes them brings them up to date.");
        status.StandardError.ShouldBeEmpty();
        (status.StandardOutput + status.StandardError).ShouldNotContain("An error occurred");
        (status.StandardOutput + status.StandardError).ShouldNotContain("Failed");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("--verbosity=quiet", true)]
    [InlineData("--verbosity=minimal", true)]
    [InlineData("--verbosity=normal", true)]
    [InlineData(null, false)]
    public void Status_as_json_puts_only_the_document_on_stdout_and_the_rest_on_stderr(string? verbosity, bool check)
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 5);
        var arguments = new List<string> { "--target=Status", "--format=json" };
        arguments.AddRange(check ? ["--check"] : []);
        arguments.AddRange(verbosity is null ? [] : [verbosity]);

        var status = BuildSh(env, [.. arguments]).ShouldExitWith(check ? 1 : 0);

        using var document = JsonDocument.Parse(status.StandardOutput);
        document.RootElement.GetProperty("staleCells").GetInt32().ShouldBe(20);
        document.RootElement.GetProperty("stages")[0].GetProperty("staleCells")[0].GetProperty("causes")[0].GetProperty("kind").GetString().ShouldBe("first-run");
        status.StandardError.ShouldBe(check ? "--check: 20 of 20 cells are stale in Ingest, Validate, Clean, ValidationSummary, Train, Evaluate, Report, Package; run the pipeline to bring them up to date.\n" : string.Empty);
    }

    [Fact]
    public void Output_to_a_pipe_carries_no_colour_codes_even_when_TERM_says_the_terminal_has_colour_unless_FORCE_COLOR()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);
        var colourTerminal = new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" };

        var usage = BuildSh(env, colourTerminal, "--target=Package", "--partition=2012-02-30").ShouldExitWith(2);
        var stale = BuildSh(env, colourTerminal, "--target=Status", "--check").ShouldExitWith(1);

        // The first build.sh of a test run may build the host first ("Packing …" lines on stderr); the error follows.
        string.Concat(usage.StandardError.ReplaceLineEndings("\n").Split('\n').Where(l => !l.EndsWith('…')).Select(l => l + "\n"))
            .ShouldStartWith("--partition=2012-02-30: '2012-02-30' is not a calendar date");
        (usage.StandardOutput + usage.StandardError + stale.StandardOutput + stale.StandardError).ShouldNotContain(Escape);
        colourTerminal["FORCE_COLOR"] = "1";
        BuildSh(env, colourTerminal, "--target=Status", "--check").ShouldExitWith(1).StandardOutput.ShouldContain("\u001b[33mStale: ");
        BuildSh(env, colourTerminal, "--target=Package", "--partition=2012-02-30").ShouldExitWith(2).StandardError.ShouldStartWith("\u001b[31m--partition=2012-02-30: ");
    }

    [Fact]
    public void A_failed_stage_is_reported_by_Cairn_alone_on_the_last_lines()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);
        var broken = env.PathOf("raw/date=2012-01-02/weather.csv");
        // A repeated header name (CAIRN1003): a failure; a renamed column would be schema drift held for approval (exit 3).
        File.WriteAllText(broken, File.ReadAllText(broken).Replace("temp_max", "temp_min", StringComparison.Ordinal));

        var run = BuildSh(env, "--target=Clean").ShouldExitWith(1);

        (run.StandardOutput + run.StandardError).ShouldNotContain("An error occurred");
        var lines = Lines(run.StandardOutput);
        lines.ShouldContain(l => l.StartsWith("Cairn run ", StringComparison.Ordinal) && l.Contains(" failed in ", StringComparison.Ordinal));
        lines[^1].ShouldStartWith("  failed: Stage 'Ingest' failed for date=2012-01-02: ");
        run.StandardError.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--dryrun")]
    [InlineData("--tree")]
    [InlineData("--description")]
    public void Cakes_dry_run_tree_and_description_record_no_run_and_leave_the_workspace_untouched(string cakeSwitch)
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 3);

        var run = BuildSh(env, "--target=Package", cakeSwitch).ShouldExitWith(0);

        run.StandardOutput.ShouldContain("Validate");
        Directory.Exists(env.PathOf("ws")).ShouldBeFalse("no run log, no lock, no workspace folder");
        BuildSh(env, "--target=History").ShouldExitWith(0).StandardOutput.ShouldStartWith("No runs recorded in ");
    }

    [Fact]
    public void History_of_a_damaged_run_log_exits_1_naming_the_file_and_what_the_next_run_does()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 1);
        env.WriteFile("ws/.cairn/runs.db", new string('Z', 4096));

        var history = BuildSh(env, "--target=History").ShouldExitWith(1);

        history.StandardError.ShouldContain($"The run log {env.PathOf("ws/.cairn/runs.db")} is damaged (SQLite Error 26: 'file is not a database'.) and cannot be read. The next run keeps it as {env.PathOf("ws/.cairn/runs.db")}.damaged-<time> for recovery and starts a new run log.");
        (history.StandardOutput + history.StandardError).ShouldNotContain("   at ");
    }

    [Fact]
    public void The_help_target_lists_Cairns_targets_and_every_argument_the_parser_reads()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 1);

        var help = BuildSh(env, "--target=Help").ShouldExitWith(0);

        foreach (var name in RunArguments.Known)
        {
            help.StandardOutput.ShouldContain($"  --{name}");
        }

        Approved.ShouldMatch(help.StandardOutput, "tests/Cairn.Tests/Reporting/Help.expected.txt");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_switches_show_Cairns_help_not_only_Cakes_usage(string helpSwitch)
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 1);

        var help = BuildSh(env, helpSwitch).ShouldExitWith(0);

        help.StandardOutput.ShouldBe(BuildSh(env, "--target=Help").ShouldExitWith(0).StandardOutput);
    }

    [Fact]
    public void Cakes_own_lines_on_a_pipe_carry_no_colour_codes_even_when_TERM_says_the_terminal_has_colour()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 1);
        var colourTerminal = new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" };

        var dryRun = BuildSh(env, colourTerminal, "--target=Package", "--dryrun").ShouldExitWith(0);

        dryRun.StandardOutput.ShouldContain("Validate");
        (dryRun.StandardOutput + dryRun.StandardError).ShouldNotContain(Escape);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static ProcessStreams BuildSh(TestEnvironment env, params string[] arguments) => BuildSh(env, null, arguments);

    private static ProcessStreams BuildSh(TestEnvironment env, Dictionary<string, string?>? variables, params string[] arguments) =>
        ProcessStreams.Run(Repository.PathOf("build.sh"), [.. arguments, $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root, variables);
}
