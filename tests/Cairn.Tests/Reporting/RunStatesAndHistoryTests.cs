using Cairn.Tests.Engine;

namespace Cairn.Tests.Reporting;

/// <summary>
/// The two engine features the report's pictures rest on: a <c>{run}</c> parameter that describes the run without
/// ever making a cell re-run, and an output the stage adds to, carried over from its previous content. (The stage
/// that adds to its output is called Ledger: History is the name of Cairn's own target.)
/// </summary>
public sealed class RunStatesAndHistoryTests
{
    private static readonly PipelineYaml Pipeline = PipelineYaml.TwoStages()
        .Stage("States", "Cairn.Tests.Reporting.TestStages.RunStatesStage", s => s.Input("Input", "data/all.txt").Output("Output", "reports/states.txt").Parameter("States", "{run}"))
        .Stage("Ledger", "Cairn.Tests.Reporting.TestStages.HistoryStage", s => s.Input("Input", "data/all.txt").Output("History", "reports/history.txt"));

    [Fact]
    public void The_run_parameter_gives_what_each_stage_did_so_far_in_this_run()
    {
        using var h = Harness("2013-05-01", "2013-05-02");

        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "changed\n");
        h.Run().ShouldSucceed();

        File.ReadAllLines(h.WorkspaceFile("reports/states.txt"))[^4..].ShouldBe(
        [
            "Upper=ran 1/2",
            "Concat=ran 1/1",
            "States=running",
            "Ledger=pending",
        ]);
    }

    [Fact]
    public void The_run_parameter_never_makes_a_cell_rerun_and_stays_out_of_the_checkpoint()
    {
        using var h = Harness("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        var states = File.ReadAllText(h.WorkspaceFile("reports/states.txt"));
        var checkpoint = File.ReadAllText(h.Checkpoint("States"));

        var rerun = h.Run().ShouldSucceed();

        rerun.Output.ShouldContain("States: skipped, up to date");
        File.ReadAllText(h.WorkspaceFile("reports/states.txt")).ShouldBe(states);
        File.ReadAllText(h.Checkpoint("States")).ShouldBe(checkpoint);
        checkpoint.ShouldNotContain("Upper=ran");
    }

    [Fact]
    public void An_accumulating_output_starts_from_what_the_stage_wrote_before()
    {
        using var h = Harness("2013-05-01");

        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-01", "second\n");
        h.Run().ShouldSucceed();

        File.ReadAllLines(h.WorkspaceFile("reports/history.txt")).ShouldBe(["ROW OF 2013-05-01!", "SECOND!"]);
    }

    [Fact]
    public void An_unchanged_accumulating_output_is_skipped_and_a_forced_rerun_that_adds_nothing_leaves_it_as_it_was()
    {
        using var h = Harness("2013-05-01");
        h.Run().ShouldSucceed();
        var checkpoint = File.ReadAllText(h.Checkpoint("Ledger"));

        var noOp = h.Run().ShouldSucceed();
        noOp.Output.ShouldContain("Ledger: skipped, up to date");
        File.ReadAllText(h.Checkpoint("Ledger")).ShouldBe(checkpoint);

        var forced = h.Run("--force=Ledger").ShouldSucceed();

        forced.Output.ShouldContain("Ledger: run, forced");
        File.ReadAllLines(h.WorkspaceFile("reports/history.txt")).ShouldBe(["ROW OF 2013-05-01!"]);
    }

    [Fact]
    public void A_deleted_accumulating_output_reruns_its_cell_and_starts_again()
    {
        using var h = Harness("2013-05-01");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-01", "second\n");
        h.Run().ShouldSucceed();
        File.Delete(h.WorkspaceFile("reports/history.txt"));

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Ledger: run, output missing: reports/history.txt");
        File.ReadAllLines(h.WorkspaceFile("reports/history.txt")).ShouldBe(["SECOND!"]);
    }

    private static EngineHarness Harness(params string[] days)
    {
        var h = new EngineHarness(Pipeline, ("Upper", []), ("Concat", ["Upper"]), ("States", ["Concat"]), ("Ledger", ["Concat"]));
        foreach (var day in days)
        {
            h.WriteRaw(day, $"row of {day}\n");
        }

        return h;
    }
}
