namespace Cairn.Engine.Status;

/// <summary>What a run with the same arguments would find stale, stage by stage in data-flow order.</summary>
internal sealed record StatusReport(string Pipeline, string Workspace, IReadOnlyList<string> Partitions, IReadOnlyList<StageStatus> Stages)
{
    public bool UpToDate => Stages.All(s => s.Stale.Count == 0);

    public int StaleCells => Stages.Sum(s => s.Stale.Count);
}
