namespace Cairn.Engine.Scan;

/// <summary>
/// What a run over a selection of partitions does beyond it, for the whole-dataset stages that read a wider window:
/// the partitions its partitioned cells cover (the selection, and the window's partitions never built), and the
/// window's partitions outside the selection that changed since they were built (read as last built).
/// </summary>
/// <param name="CellPartitions">The partitions the partitioned stages' cells run for, in order.</param>
/// <param name="NeverBuilt">Partitions outside the selection that a window reads and that were never built (or lost their outputs): built first.</param>
/// <param name="StaleOutside">Partitions outside the selection that a window reads, built but stale: read as last built.</param>
/// <param name="Readers">The whole-dataset stages whose windows reach outside the selection.</param>
/// <param name="Builders">The partitioned stages that run for the partitions never built.</param>
internal sealed record Backfill(
    IReadOnlyList<string> CellPartitions,
    IReadOnlyList<string> NeverBuilt,
    IReadOnlyList<string> StaleOutside,
    IReadOnlyList<string> Readers,
    IReadOnlyList<string> Builders)
{
    public static Backfill None(IReadOnlyList<string> partitions) => new(partitions, [], [], [], []);
}
