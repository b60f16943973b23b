using Cairn.Engine.Checkpoints;
using Cairn.Engine.Runs;
using Cairn.Engine.Status;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Inspecting;

/// <summary>
/// Status before the default landing zone exists (a fresh clone): a run would first make it from the sample, so its
/// days are the sample's, and nothing can be hashed yet. Status writes nothing, so it does not make the landing zone
/// to look; it answers from the checkpoints alone: a cell without one is a first run, and a cell with one (its
/// landing zone was deleted) is decided only once the landing zone is made again.
/// </summary>
internal static class UnmadeLandingZoneStatus
{
    public static StatusReport Report(RunOptions options, PipelinePlan plan, string landingZoneShown)
    {
        var checkpoints = new CheckpointStore(new WorkspaceLayout(options.WorkspaceDirectory).Checkpoints);
        var stages = new List<StageStatus>();
        foreach (var stage in InDataFlowOrder(plan))
        {
            var partitions = stage.Definition.Partitioned ? options.Partitions.Select(p => (string?)p).ToList() : [null];
            var stale = partitions.Select(partition => new CellStatus(stage.Name, partition, [File.Exists(checkpoints.PathOf(stage.Name, partition))
                    ? new StaleCause("input-missing", $"input missing: the landing zone {landingZoneShown}, which a run makes again from the sample before it decides") { Path = "$raw" }
                    : new StaleCause("first-run", "first run")]))
                .ToList();
            stages.Add(new StageStatus(stage.Name, stage.Definition.Partitioned, partitions.Count, stale));
        }

        return new StatusReport(plan.Definition.Name, options.WorkspaceDirectory, options.Partitions, stages);
    }

    /// <summary>Stages with every producer before them, otherwise in pipeline order (as Status orders them).</summary>
    private static List<StagePlan> InDataFlowOrder(PipelinePlan plan)
    {
        var ordered = new List<StagePlan>();
        var pending = plan.Stages.ToList();
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(s => s.Producers.All(p => ordered.Any(o => o.Name == p))) ?? pending[0];
            ordered.Add(next);
            pending.Remove(next);
        }

        return ordered;
    }
}
