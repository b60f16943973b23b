using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// A file's content hash, the stat it had when it was read, and when the reading began: a <see cref="FileReading"/>
/// that always has its stat, with what this run did with it. The run's memory of a file the cache vouched for or
/// recorded is the entry itself (<see cref="FileHashes"/>), so 200,000 files at 40,000 partitions are 200,000 objects,
/// not 400,000. A class, not a struct: the cache's dictionary over a reference type runs the runtime's precompiled
/// code from a run's first lookup, where one over a struct starts out unoptimized, and a no-op run makes thousands of
/// lookups in its first second.
/// </summary>
internal sealed class StatCacheEntry : FileReading
{
    private const int UsedMark = 2;
    private const int RecordedMark = 4;

    public StatCacheEntry(FileStat stat, ContentHash content, long hashedAtNs)
        : base(content, stat, hashedAtNs)
    {
    }

    /// <summary>The stat the file had when it was read (an entry always has one).</summary>
    public new FileStat Stat => StatGiven;

    /// <summary>When the reading of the file began: <see cref="FileReading.TakenAtNs"/>.</summary>
    public long HashedAtNs => TakenAtNs;

    /// <summary>
    /// Whether this run used the entry (vouched for or recorded a file): used entries are always kept, and a used entry
    /// is this run's reading of its file until something else is remembered for the path.
    /// </summary>
    public bool Used => (Volatile.Read(ref Flags) & UsedMark) != 0;

    /// <summary>
    /// Whether this run recorded the entry (it read the file): a save writes it over the cache on disk, where an entry
    /// it only used keeps the disk's version. A mark, not a second set of paths: 200,000 of them at 40,000 partitions.
    /// </summary>
    public bool Recorded => (Volatile.Read(ref Flags) & RecordedMark) != 0;

    public void MarkUsed() => Interlocked.Or(ref Flags, UsedMark);

    /// <summary>Marks the entry recorded (and used) by this run.</summary>
    public void MarkRecorded() => Interlocked.Or(ref Flags, UsedMark | RecordedMark);

    /// <summary>After a save wrote it: what the run records from now on is what its next save writes.</summary>
    public void ForgetRecorded() => Interlocked.And(ref Flags, ~RecordedMark);

    /// <summary>Whether the two say the same about the file; whether this run used them does not count.</summary>
    public bool SaysSameAs(StatCacheEntry other) => Stat == other.Stat && Content == other.Content && HashedAtNs == other.HashedAtNs;
}
