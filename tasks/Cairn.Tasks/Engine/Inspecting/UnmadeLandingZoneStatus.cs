using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
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
        var checkpoints = new CheckpointStore(new WorkspaceLayout(options.WorkspaceDirectory).Checkpoints, partitionKey: options.Scheme.Key);
        var stages = new List<StageStatus>();
        foreach (var stage in plan.DataFlowOrder)
        {
            var partitions = stage.Definition.Partitioned ? options.Partitions.Select(p => (string?)p).ToList() : [null];
            var stale = partitions.Select(partition => new CellStatus(stage.Name, partition, [File.Exists(checkpoints.PathOf(stage.Name, partition))
                    ? new Cause(CauseKind.InputMissing) { Path = landingZoneShown, Detail = "a run, from the sample, before it decides" }
                    : Cause.FirstRun]) { PartitionKey = options.Scheme.Key })
                .ToList();
            stages.Add(new StageStatus(stage.Name, stage.Definition.Partitioned, partitions.Count, stale));
        }

        return new StatusReport(plan.Definition.Name, options.WorkspaceDirectory, options.Partitions, stages) { PartitionKey = options.Scheme.Key };
    }
}
