namespace Cairn.Engine.Workspace;

/// <summary>
/// What a run knows of a file's content: its hash and, when the hash came from the file itself (read, or vouched for
/// by the stat cache), the stat the file had then and when that stat was taken. A hash the engine set after writing
/// the file has no stat.
/// </summary>
internal sealed record FileReading(string Hash, FileStat? Stat, long TakenAtNs);
