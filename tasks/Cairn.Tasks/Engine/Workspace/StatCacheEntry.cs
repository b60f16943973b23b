using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// A file's content hash, the stat it had when it was read, and when the reading began. A class, not a struct: the
/// cache's dictionary over a reference type runs the runtime's precompiled code from a run's first lookup, where one
/// over a struct starts out unoptimized, and a no-op run makes thousands of lookups in its first second.
/// </summary>
internal sealed record StatCacheEntry(FileStat Stat, ContentHash Hash, long HashedAtNs)
{
    private int _used;

    /// <summary>
    /// The path the entry is kept under, the very string of the cache's key: a run remembers what it read under it too
    /// (<see cref="FileHashes"/>), so 200,000 paths are held once, not twice. Not part of what the entry says.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>Whether this run used the entry (vouched for or recorded a file): used entries are always kept.</summary>
    public bool Used => Volatile.Read(ref _used) != 0;

    public void MarkUsed() => Volatile.Write(ref _used, 1);

    /// <summary>Equal when they say the same about the file; whether this run used them does not count.</summary>
    public bool Equals(StatCacheEntry? other) =>
        other is not null && Stat == other.Stat && Hash == other.Hash && HashedAtNs == other.HashedAtNs;

    public override int GetHashCode() => HashCode.Combine(Stat, Hash, HashedAtNs);
}
