namespace Cairn.Engine.Runs;

/// <summary>A cell that failed in this run, with the message that names stage, partition, cause and log.</summary>
internal sealed record CellFailure(string Stage, string? Partition, string Message);
