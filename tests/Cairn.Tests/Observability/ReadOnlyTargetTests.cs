using Cairn.Engine.Hosting;
using Cairn.Engine.Runs;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary>
/// A repository whose pipeline ships a sample and uses the default landing zone (<c>work/sampled/landing</c>, made from the
/// sample by the first run), opened the way the Cake script opens it: the targets that run no stage, and a host that
/// runs no task (Cake's --dryrun, --tree, --description), write nothing; a run that makes the landing zone says so.
/// </summary>
public sealed class ReadOnlyTargetTests : IDisposable
{
    private const string Pipeline = """
        name: sampled
        assembly: Cairn.Tests
        sample: sample.csv
        partition_column: date
        stages:
          Upper:
            task: Cairn.Tests.Engine.TestStages.UpperCaseStage
            partitioned: true
            inputs:
              Sources: "{raw}/date={date}/*.csv"
            outputs:
              Output: "data/upper/date={date}/upper.txt"
          Concat:
            task: Cairn.Tests.Engine.TestStages.ConcatStage
            inputs:
              Parts: "data/upper/date={each}/upper.txt"
            outputs:
              Combined: "data/all.txt"
        """;

    private static readonly Dictionary<string, IReadOnlyList<string>> Graph = new()
    {
        ["Upper"] = [],
        ["Concat"] = ["Upper"],
        ["Status"] = [],
        ["History"] = [],
        ["Health"] = [],
        ["Graph"] = [],
    };

    private readonly TestEnvironment _env = new();

    public ReadOnlyTargetTests()
    {
        _env.WriteFile("pipeline/pipeline.yaml", Pipeline);
        _env.WriteFile("pipeline/sample.csv", "date,value\n2013-05-01,a\n2013-05-02,b\n2013-05-02,c\n2013-05-03,d\n");
    }

    private string Work => _env.PathOf("work/sampled");

    private string Landing => _env.PathOf("work/sampled/landing");

    [Fact]
    public void Status_on_a_fresh_clone_says_what_a_run_would_do_without_making_the_landing_zone()
    {
        var (output, exitCode) = Target("Status", s => s.Status(), "--check");

        exitCode.ShouldBe(1);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            "The landing zone work/sampled/landing is not made yet: a run makes it from pipeline/sample.csv (3 days), then runs every cell without a checkpoint for the first time.",
            "Status of sampled: 3 partitions (2013-05-01 to 2013-05-03), workspace work/sampled",
            "Upper: 3 of 3 cells stale",
            "  Upper date=2013-05-01: first run",
            "  Upper date=2013-05-02: first run",
            "  Upper date=2013-05-03: first run",
            "Concat: stale: first run",
            "Stale: 4 cells of 4 in 2 stages; a run of a target that includes them brings them up to date.",
        ]);
        Directory.Exists(Work).ShouldBeFalse("Status writes nothing, not even the workspace folder");
    }

    [Fact]
    public void History_health_and_graph_on_a_fresh_clone_make_no_landing_zone_and_graph_writes_only_its_reports()
    {
        Target("History", s => s.History()).Output.ShouldStartWith("No runs recorded in work/sampled/.cairn/runs.db yet");
        Target("Health", s => s.Health()).Output.ShouldStartWith("No runs recorded in work/sampled/.cairn/runs.db yet");
        Directory.Exists(Work).ShouldBeFalse();

        Target("Graph", s => s.Graph()).ExitCode.ShouldBe(0);

        Directory.Exists(Landing).ShouldBeFalse();
        Directory.GetFileSystemEntries(Work).Select(Path.GetFileName).ShouldBe(["reports"]);
        Directory.GetFiles(Path.Combine(Work, "reports")).Select(Path.GetFileName).ShouldAllBe(name => name!.StartsWith("dag.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_that_makes_the_landing_zone_says_so_in_one_line_and_the_next_run_does_not()
    {
        var (first, exitCode) = Target("Concat", s => { s.RunStage("Upper"); s.RunStage("Concat"); });

        exitCode.ShouldBe(0);
        first.Split('\n')[0].ShouldBe("Made the landing zone work/sampled/landing from pipeline/sample.csv: 3 days");
        File.ReadAllText(Path.Combine(Landing, "date=2013-05-02", "sample.csv")).ShouldBe("date,value\n2013-05-02,b\n2013-05-02,c\n");
        Target("Concat", s => { s.RunStage("Upper"); s.RunStage("Concat"); }).Output.ShouldNotContain("landing zone");
    }

    [Fact]
    public void A_host_that_runs_no_task_gets_its_arguments_checked_but_nothing_is_recorded_or_locked()
    {
        var (output, exitCode) = Target("Concat", _ => { }, runsTasks: false);

        exitCode.ShouldBe(0);
        output.ShouldBeEmpty();
        Directory.Exists(Work).ShouldBeFalse("no landing zone, no run log, no lock, no workspace folder");
        Should.Throw<CairnUsageException>(() => Target("Concat", _ => { }, runsTasks: false, "--keep-going=yes"));
    }

    [Fact]
    public void A_step_keeps_stale_cells_under_check_for_finish_which_exits_1_without_throwing()
    {
        Target("Concat", s => { s.RunStage("Upper"); s.RunStage("Concat"); }).ExitCode.ShouldBe(0);
        File.AppendAllText(Path.Combine(Landing, "date=2013-05-03", "sample.csv"), "2013-05-03,e\n");
        using var output = new StringWriter();
        using var session = Open("Status", output, runsTasks: true, "--check");

        session.Step(s => s.Status()).ShouldBeFalse();
        session.Step(s => s.Status()).ShouldBeFalse("a step after a kept outcome does nothing");
        var exitCode = session.Finish(null);

        exitCode.ShouldBe(1);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l.StartsWith("Status of sampled", StringComparison.Ordinal)).ShouldBe(1);
        lines[^1].ShouldBe("Stale: 2 cells of 4 in 2 stages; a run of a target that includes them brings them up to date.");
    }

    [Fact]
    public void A_step_keeps_a_failed_stage_for_finish_and_later_steps_do_not_run()
    {
        using var output = new StringWriter();
        using (var session = Open("Concat", output, runsTasks: true))
        {
            session.Step(s => s.RunStage("Concat")).ShouldBeFalse("Concat's inputs do not exist yet");
            session.Step(s => s.RunStage("Upper")).ShouldBeFalse();
            session.Finish(null).ShouldBe(1);
        }

        output.ToString().ShouldContain("  failed: Stage 'Concat' cannot run: its input Parts = data/upper/date=2013-05-01/upper.txt does not exist.");
        Directory.Exists(Path.Combine(Work, "data", "upper")).ShouldBeFalse();
    }

    [Fact]
    public void Status_check_as_json_keeps_the_document_whole_and_says_how_many_cells_are_stale_after_it()
    {
        using var output = new StringWriter();
        using var session = Open("Status", output, runsTasks: true, "--check", "--format=json");

        session.Step(s => s.Status()).ShouldBeFalse();
        session.Finish(null).ShouldBe(1);

        var text = output.ToString();
        var json = text[text.IndexOf('{', StringComparison.Ordinal)..(text.LastIndexOf('}') + 1)];
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("staleCells").GetInt32().ShouldBe(4);
        text[(text.LastIndexOf('}') + 1)..].Trim().ShouldBe("--check: 4 of 4 cells are stale in Upper, Concat; run the pipeline to bring them up to date.");
    }

    public void Dispose() => _env.Dispose();

    private (string Output, int ExitCode) Target(string target, Action<CairnSession> steps, params string[] arguments) =>
        Target(target, steps, runsTasks: true, arguments);

    private (string Output, int ExitCode) Target(string target, Action<CairnSession> steps, bool runsTasks, params string[] arguments)
    {
        using var output = new StringWriter();
        using var session = Open(target, output, runsTasks, arguments);
        session.Step(steps);
        var exitCode = session.Finish(null);
        return (output.ToString().ReplaceLineEndings("\n"), exitCode);
    }

    private CairnSession Open(string target, StringWriter output, bool runsTasks, params string[] arguments)
    {
        var parsed = arguments.Select(a => a.TrimStart('-').Split('=', 2)).ToDictionary(p => p[0], p => (IReadOnlyList<string>)[p.Length > 1 ? p[1] : null!]);
        parsed["parallelism"] = ["1"];
        return CairnSession.Open(_env.Root, "pipeline/pipeline.yaml", target, parsed, Graph, output, [], new HostEnvironment(_ => null, false, TimeProvider.System), runsTasks);
    }
}
