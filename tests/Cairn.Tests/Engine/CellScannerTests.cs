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

    private static CellScanner Scanner(EngineHarness h)
    {
        var options = h.Options();
        return new CellScanner(options, new CellBinder(options, h.Plan()), new CheckpointStore(Path.Combine(h.Workspace, "checkpoints")), new FileHashes());
    }
}
