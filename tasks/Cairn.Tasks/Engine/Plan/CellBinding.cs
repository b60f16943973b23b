namespace Cairn.Engine.Plan;

/// <summary>Everything one (stage, partition) cell is built from and builds, resolved to real paths and values.</summary>
internal sealed record CellBinding(
    string Stage,
    string? Partition,
    IReadOnlyList<BoundFile> Inputs,
    IReadOnlyList<BoundFile> Outputs,
    IReadOnlyDictionary<string, object> ParameterValues,
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The key of the pipeline's partition folders (<c>partitions: key:</c>), which names a partition in labels.</summary>
    public string PartitionKey { get; init; } = Partitions.PartitionScheme.Default.Key;

    /// <summary>The partition as people read it, <c>date=2013-05-03</c>; null for a whole-dataset cell.</summary>
    public string? PartitionLabel => Partition is null ? null : $"{PartitionKey}={Partition}";

    public string Label => Partition is null ? Stage : $"{Stage} {PartitionLabel}";

    /// <summary>
    /// The cell named (stage, partition, partition key) without its files and parameters: what a run keeps of a cell it
    /// skips (<see cref="Scan.CellScanner.Scan(StagePlan, IReadOnlyList{string?}, bool)"/>), a fraction of the whole
    /// (a cell of the sample's Clean holds ten path strings and two dictionaries of parameters).
    /// </summary>
    public CellBinding NamedOnly() => this with
    {
        Inputs = [],
        Outputs = [],
        ParameterValues = System.Collections.ObjectModel.ReadOnlyDictionary<string, object>.Empty,
        Parameters = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty,
    };
}
