using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// A file's content hash, the stat it had when it was read, and when the reading began. A class, not a struct: the
/// cache's dictionary over a reference type runs the runtime's precompiled code from a run's first lookup, where one
/// over a struct starts out unoptimized, and a no-op run makes thousands of lookups in its first second.
/// </summary>
internal sealed record StatCacheEntry(FileStat Stat, ContentHash Hash, long HashedAtNs)
{
    private const int UsedMark = 1;
    private const int RecordedMark = 2;

    private int _marks;

    /// <summary>
    /// The path the entry is kept under, the very string of the cache's key: a run remembers what it read under it too
    /// (<see cref="FileHashes"/>), so 200,000 paths are held once, not twice. Not part of what the entry says.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>Whether this run used the entry (vouched for or recorded a file): used entries are always kept.</summary>
    public bool Used => (Volatile.Read(ref _marks) & UsedMark) != 0;

    /// <summary>
    /// Whether this run recorded the entry (it read the file): a save writes it over the cache on disk, where an entry
    /// it only used keeps the disk's version. A mark, not a second set of paths: 200,000 of them at 40,000 partitions.
    /// </summary>
    public bool Recorded => (Volatile.Read(ref _marks) & RecordedMark) != 0;

    public void MarkUsed() => Interlocked.Or(ref _marks, UsedMark);

    /// <summary>Marks the entry recorded (and used) by this run.</summary>
    public void MarkRecorded() => Interlocked.Or(ref _marks, UsedMark | RecordedMark);

    /// <summary>After a save wrote it: what the run records from now on is what its next save writes.</summary>
    public void ForgetRecorded() => Interlocked.And(ref _marks, ~RecordedMark);

    /// <summary>Equal when they say the same about the file; whether this run used them does not count.</summary>
    public bool Equals(StatCacheEntry? other) =>
        other is not null && Stat == other.Stat && Hash == other.Hash && HashedAtNs == other.HashedAtNs;

    public override int GetHashCode() => HashCode.Combine(Stat, Hash, HashedAtNs);
}
