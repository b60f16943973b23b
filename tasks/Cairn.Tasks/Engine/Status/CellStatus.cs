using Cairn.Engine.Scan;

namespace Cairn.Engine.Status;

/// <summary>A stale cell and why; Partition is null for a whole-dataset cell.</summary>
internal sealed record CellStatus(string Stage, string? Partition, IReadOnlyList<Cause> Causes)
{
    /// <summary>The key of the pipeline's partition folders, which names a partition in labels.</summary>
    public string PartitionKey { get; init; } = Partitions.PartitionScheme.Default.Key;

    public string Label => Partition is null ? Stage : $"{Stage} {PartitionKey}={Partition}";
}
