namespace Cairn.Engine.Partitions;

/// <summary>A folder of the raw landing zone that looks like a partition and is ignored: its path below the landing zone, why, and a note (what it holds).</summary>
internal sealed record IgnoredFolder(IgnoredFolderKind Kind, string Path, string? Note = null);
