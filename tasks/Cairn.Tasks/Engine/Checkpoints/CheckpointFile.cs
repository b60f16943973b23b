namespace Cairn.Engine.Checkpoints;

/// <summary>A file a checkpoint records: which stage property it belongs to, its logical path and its content hash.</summary>
internal sealed record CheckpointFile(string Property, string Path, string Hash);
