using Cairn.Engine.Scan;

namespace Cairn.Engine.Status;

/// <summary>A stale cell and why; Partition is null for a whole-dataset cell.</summary>
internal sealed record CellStatus(string Stage, string? Partition, IReadOnlyList<Cause> Causes)
{
    public string Label => Partition is null ? Stage : $"{Stage} date={Partition}";
}
