namespace Cairn.Engine.Status;

/// <summary>A stale cell and why; Partition is null for a whole-dataset cell.</summary>
internal sealed record CellStatus(string Stage, string? Partition, IReadOnlyList<StaleCause> Causes)
{
    public string Label => Partition is null ? Stage : $"{Stage} date={Partition}";
}
