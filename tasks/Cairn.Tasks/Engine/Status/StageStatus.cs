namespace Cairn.Engine.Status;

/// <summary>One stage over the selected partitions: how many cells it has and which of them are stale.</summary>
internal sealed record StageStatus(string Stage, bool Partitioned, int Cells, IReadOnlyList<CellStatus> Stale)
{
    public int UpToDate => Cells - Stale.Count;
}
