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
    public string Label => Partition is null ? Stage : $"{Stage} date={Partition}";
}
