namespace Cairn.Engine.Workspace;

/// <summary>
/// A regular file's stat and the path it was taken of, handed from the check that a checkpoint's output lies inside
/// the workspace to the stat cache comparison right after, so that a no-op stats each output once. The path goes
/// with it so that the stat is used for that path only.
/// </summary>
/// <param name="Path">The full path the stat was taken of.</param>
/// <param name="Stat">The file's stat, taken without following a link (a regular file's is the same either way).</param>
internal readonly record struct PathStat(string Path, FileStat Stat);
