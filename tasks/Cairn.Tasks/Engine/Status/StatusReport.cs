using Cairn.Engine.Scan;

namespace Cairn.Engine.Status;

/// <summary>What a run with the same arguments would find stale, stage by stage in data-flow order.</summary>
internal sealed record StatusReport(string Pipeline, string Workspace, IReadOnlyList<string> Partitions, IReadOnlyList<StageStatus> Stages)
{
    /// <summary>What a run with a selection would build beyond it, and the stale partitions outside it it would read as last built.</summary>
    public Backfill Backfill { get; init; } = Backfill.None(Partitions);

    /// <summary>The arguments that narrowed the selection; null when it is every partition.</summary>
    public string? SelectedBy { get; init; }

    /// <summary>The key of the pipeline's partition folders, which names a partition in the report.</summary>
    public string PartitionKey { get; init; } = Engine.Partitions.PartitionScheme.Default.Key;

    public bool UpToDate => Stages.All(s => s.Stale.Count == 0);

    public int StaleCells => Stages.Sum(s => s.Stale.Count);
}
