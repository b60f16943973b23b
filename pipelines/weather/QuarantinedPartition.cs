namespace Cairn.Pipelines.Weather;

/// <summary>A partition and how many of its rows were quarantined.</summary>
internal sealed record QuarantinedPartition(string Partition, long Rows);
