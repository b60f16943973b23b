using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>A file's content hash, the stat it had when it was read, and when the reading began.</summary>
internal readonly record struct StatCacheEntry(FileStat Stat, ContentHash Hash, long HashedAtNs);
