using Cairn.Engine.Plan;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Tests.Engine;

/// <summary>The scheduler alone: which cells run, block, or stop, with cells that are only a function (no task, no file).</summary>
public sealed class CellSchedulerTests
{
    private static readonly string[] Days = ["2013-05-01", "2013-05-02", "2013-05-03"];

    [Fact]
    public void Fail_fast_starts_no_cell_after_the_first_failure()
    {
        using var h = EngineHarness.TwoStages(Days);
        var upper = h.Plan().Stage("Upper");
        var scheduler = new CellScheduler(h.Plan(), keepGoing: false, parallelism: 1);
        var started = new List<string?>();

        var cells = scheduler.Run(upper, Decided(upper, Days), d => Execute(d, started, failOn: "2013-05-02"), CancellationToken.None);

        started.ShouldBe(["2013-05-01", "2013-05-02"]);
        cells.Ran.ShouldBe(1);
        cells.Failures.ShouldHaveSingleItem().Partition.ShouldBe("2013-05-02");
        cells.NotSucceeded.ShouldBe(["2013-05-02", "2013-05-03"]);
        cells.Aborted.ShouldBeNull();
    }

    [Fact]
    public void Keep_going_runs_every_other_cell_and_blocks_only_the_cells_downstream_of_the_failure()
    {
        using var h = EngineHarness.TwoStages(Days);
        var plan = h.Plan();
        var scheduler = new CellScheduler(plan, keepGoing: true, parallelism: 1);
        var started = new List<string?>();

        var cells = scheduler.Run(plan.Stage("Upper"), Decided(plan.Stage("Upper"), Days), d => Execute(d, started, failOn: "2013-05-02"), CancellationToken.None);
        scheduler.Settle("Upper", cells);

        started.ShouldBe(Days);
        cells.Metrics["Rows"].ShouldBe(2);
        scheduler.Failures.ShouldHaveSingleItem().Message.ShouldBe("Upper date=2013-05-02 failed");
        scheduler.Block(plan.Stage("Concat"), [null]).ShouldBe([new BlockedCell(null, "Upper date=2013-05-02")]);
        scheduler.Blocked.ShouldBe(1, "Concat's cell, besides the failed one");
    }

    [Fact]
    public void A_partitioned_stage_has_cells_in_flight_together_up_to_the_parallelism()
    {
        using var h = EngineHarness.TwoStages(Days);
        var upper = h.Plan().Stage("Upper");
        var scheduler = new CellScheduler(h.Plan(), keepGoing: false, parallelism: 2);
        using var together = new Barrier(2);
        var met = 0;

        var cells = scheduler.Run(upper, Decided(upper, Days[..2]), _ =>
        {
            // Each cell waits for the other: with one cell at a time the barrier would never be met.
            if (together.SignalAndWait(TimeSpan.FromMinutes(1)))
            {
                Interlocked.Increment(ref met);
            }

            return new Dictionary<string, double>();
        }, CancellationToken.None);

        met.ShouldBe(2);
        cells.Ran.ShouldBe(2);
    }

    [Fact]
    public void A_cancelled_cell_ends_the_stage_and_is_handed_back_not_counted_as_a_failure()
    {
        using var h = EngineHarness.TwoStages(Days);
        var upper = h.Plan().Stage("Upper");
        var scheduler = new CellScheduler(h.Plan(), keepGoing: true, parallelism: 1);

        var cells = scheduler.Run(upper, Decided(upper, Days), d => throw new OperationCanceledException("cancelled by the test"), CancellationToken.None);

        cells.Aborted.ShouldBeOfType<OperationCanceledException>();
        cells.Failures.ShouldBeEmpty();
        cells.Ran.ShouldBe(0);
    }

    [Fact]
    public void Up_to_date_cells_are_not_run()
    {
        using var h = EngineHarness.TwoStages(Days);
        var upper = h.Plan().Stage("Upper");
        var scheduler = new CellScheduler(h.Plan(), keepGoing: false, parallelism: 1);
        var decisions = Decided(upper, Days).Select((d, i) => i == 1 ? d with { Decision = Decision.UpToDate } : d).ToList();
        var started = new List<string?>();

        scheduler.Run(upper, decisions, d => Execute(d, started, failOn: null), CancellationToken.None).Ran.ShouldBe(2);

        started.ShouldBe(["2013-05-01", "2013-05-03"]);
    }

    private static List<CellDecision> Decided(StagePlan stage, IEnumerable<string?> partitions) =>
        partitions.Select(p => new CellDecision(new CellBinding(stage.Name, p, [], [], new Dictionary<string, object>(), new Dictionary<string, string>()), "fingerprint", [], null, Decision.Of([Cause.FirstRun]))).ToList();

    private static Dictionary<string, double> Execute(CellDecision decision, List<string?> started, string? failOn)
    {
        lock (started)
        {
            started.Add(decision.Cell.Partition);
        }

        return decision.Cell.Partition == failOn
            ? throw new StageFailedException($"{decision.Cell.Label} failed")
            : new Dictionary<string, double> { ["Rows"] = 1 };
    }
}
