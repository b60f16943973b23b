namespace Cairn.Engine.Cache;

/// <summary>A cell's outputs downloaded from the cache and verified, staged by property as an attempt stages them, with the metrics the cell reported where it ran.</summary>
internal sealed record RestoredCell(string? Partition, IReadOnlyDictionary<string, string> StagedOutputs, IReadOnlyDictionary<string, double> Metrics);
