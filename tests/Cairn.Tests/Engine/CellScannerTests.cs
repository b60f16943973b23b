using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Tests.Engine;

/// <summary>The scan alone, the one decision path of runs and Status: a cell bound, hashed, fingerprinted and decided, with every cause.</summary>
public sealed class CellScannerTests
{
    [Fact]
    public void A_cell_with_several_differences_records_each_and_reads_as_its_first_kind()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        h.SetPipeline(PipelineYaml.TwoStages(suffix: "?"));
        h.WriteRaw("2013-05-01", "changed\n");

        var decision = Scanner(h).ScanCell(h.Plan().Stage("Upper"), "2013-05-01");

        decision.Decision.Causes.Select(c => c.Kind).ShouldBe([CauseKind.ParameterChanged, CauseKind.InputChanged]);
        decision.Decision.Kind.ShouldBe(DecisionKind.ParameterChanged);
        decision.Decision.Reason.ShouldBe("parameter changed (Suffix: ! → ?)");
        decision.Decision.Causes.Select(c => CauseText.JsonName(c.Kind)).ShouldBe(["parameter-changed", "input-changed"]);
    }

    [Fact]
    public void A_missing_input_is_a_cause_naming_who_writes_it_not_an_exception()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var decision = Scanner(h).ScanCell(h.Plan().Stage("Concat"), null);

        decision.MissingInputs.ShouldHaveSingleItem().LogicalPath.ShouldBe("data/upper/date=2013-05-01/upper.txt");
        decision.Decision.Causes.Select(c => c.Text).ShouldBe(["first run", "input missing: data/upper/date=2013-05-01/upper.txt (written by Upper)"]);
    }

    [Fact]
    public void A_runs_scan_keeps_only_the_name_and_decision_of_a_skipped_cell_and_the_whole_binding_of_one_that_runs()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "changed\n");
        var upper = h.Plan().Stage("Upper");

        var decisions = Scanner(h).Scan(upper, ["2013-05-01", "2013-05-02"], skippedNamedOnly: true);

        var skipped = decisions[0];
        skipped.Decision.Run.ShouldBeFalse();
        skipped.Cell.Label.ShouldBe("Upper date=2013-05-01");
        skipped.Cell.Inputs.ShouldBeEmpty();
        skipped.Cell.Outputs.ShouldBeEmpty();
        skipped.Cell.Parameters.ShouldBeEmpty();
        skipped.Fingerprint.ShouldBeEmpty();
        skipped.InputHashes.ShouldBeEmpty();
        skipped.Decision.ShouldBe(Scanner(h).ScanCell(upper, "2013-05-01").Decision, "the same decision, only less of the cell kept");
        var running = decisions[1];
        running.Decision.Kind.ShouldBe(DecisionKind.InputChanged);
        running.Cell.Inputs.ShouldNotBeEmpty();
        running.Cell.Outputs.ShouldNotBeEmpty();
        running.Cell.Parameters.ShouldNotBeEmpty();
        Scanner(h).ScanCell(upper, "2013-05-01").Cell.Inputs.ShouldNotBeEmpty("a cell scanned alone is about to run");
        Scanner(h).Scan(upper, ["2013-05-01"], skippedNamedOnly: false)[0].Cell.Inputs.ShouldNotBeEmpty("Status follows a skipped cell's inputs upstream");
    }

    private static CellScanner Scanner(EngineHarness h)
    {
        var options = h.Options();
        return new CellScanner(options, new CellBinder(options, h.Plan()), new CheckpointStore(Path.Combine(h.Workspace, "checkpoints")), new FileHashes());
    }
}
