using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Remembers, across runs, each file's content hash with the stat it had when it was read, so a file whose stat
/// is unchanged is not read again. Kept in <c>&lt;workspace&gt;/.cairn/stat-cache.bin</c>, loaded whole at the start
/// of a run and written whole (temp file, rename) at its end, only when something in it changed. Runs on disjoint
/// cells of one workspace end at their own times: each end merges (under <c>.cairn/stat-cache.lock</c>) what this run
/// recorded or removed into the cache as another run may have saved it meanwhile, so no run's findings are lost.
/// </summary>
/// <remarks>
/// Git's "racily clean" rule: a file rewritten with the same size within the timestamp tick of its recorded mtime
/// keeps its stat, so a stat vouches for the content only when the file's mtime is older than the moment its reading
/// began by more than the file system's timestamp granularity (<see cref="MarginFor"/>): any write after that reading
/// stamps a later mtime. The granularity is measured (<see cref="TimestampGranularity"/>) in the cache's own folder
/// the first time the cache is written there, and kept in the cache with the device it holds for; a file on another
/// device, or a cache written before the measurement existed, falls back to <see cref="RacyMarginNs"/>. A racy entry is
/// hashed again (by the next reader, or at the end of the run that recorded it once the tick has passed) and recorded
/// with the later reading time. The rule is on the mtime, as git's is: every write stamps it, and the ctime (which a
/// rename of the file moves) is compared for equality with the rest of the stat. A file that fails its checksum is
/// never trusted: the cache is rebuilt and every file hashed.
/// </remarks>
internal sealed class StatCache
{
    public const string FileName = "stat-cache.bin";

    /// <summary>
    /// How much older than the reading a file's mtime must be for its stat to vouch for its content when the granularity
    /// of its file system was not measured: two seconds covers coarse clock ticks and file systems with 1 s or 2 s timestamps.
    /// </summary>
    public const long RacyMarginNs = 2_000_000_000L;

    /// <summary>Entries no run has used for this long are dropped when the cache is written.</summary>
    public const long UnusedLifetimeNs = 30L * 24 * 3600 * 1_000_000_000L;

    private const string Magic = "cairn-stat-cache";
    private const int FormatVersion = 2;
    private const int FormatVersionWithoutGranularity = 1;
    private const int ChecksumLength = 16;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly ConcurrentDictionary<string, StatCacheEntry> _entries;
    private readonly ConcurrentDictionary<string, StatCacheEntry>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;

    // The paths this run removed; with the entries it recorded (StatCacheEntry.Recorded), what its save writes over the
    // cache on disk. The rest comes from there.
    private readonly ConcurrentDictionary<string, byte> _removed = new(StringComparer.Ordinal);
    private volatile bool _changed;
    private long _granularityNs;
    private ulong _device;

    // The stat of the file this cache was loaded from, when it was not written within a timestamp tick of being read
    // (the racy rule again): a save that finds the file still so knows no other run saved since, and merges nothing.
    private FileStat? _loaded;

    private StatCache(string path, ConcurrentDictionary<string, StatCacheEntry> entries, bool changed, MeasuredGranularity? granularity = null)
    {
        FilePath = path;
        _entries = entries;
        _entriesBySpan = entries.GetAlternateLookup<ReadOnlySpan<char>>();
        _changed = changed;
        _granularityNs = granularity?.Ns ?? 0;
        _device = granularity?.Device ?? 0;
    }

    public string FilePath { get; }

    public int Count => _entries.Count;

    public bool Changed => _changed;

    /// <summary>The measured timestamp granularity of the cache's folder, in nanoseconds; 0 until it is measured (when the cache is first written there).</summary>
    public long GranularityNs => _granularityNs;

    /// <summary>Loads the cache; a missing file is an empty cache, an unreadable one an empty cache and a problem to report.</summary>
    public static StatCache Load(string path, out string? problem)
    {
        problem = null;
        var readAt = FileStats.NowNs();
        var before = FileStats.Read(path, out var statBefore) == FileStatKind.RegularFile ? statBefore : (FileStat?)null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new StatCache(path, NewDictionary(0), changed: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = Unreadable(path, e.Message);
            return new StatCache(path, NewDictionary(0), changed: true);
        }

        if (TryParse(bytes, out var entries, out var granularity, out var reason))
        {
            // A workspace copied or moved to another file system keeps its cache, not its granularity: measured again.
            var steady = FileStats.Read(path, out var stat) == FileStatKind.RegularFile && stat == before;
            var sameDevice = granularity is not null && steady && stat.Device == granularity.Device;
            var cache = new StatCache(path, entries, changed: !sameDevice, sameDevice ? granularity : null);
            cache._loaded = steady && cache.Settled(stat, readAt) ? stat : null;
            return cache;
        }

        problem = Unreadable(path, reason);
        return new StatCache(path, NewDictionary(0), changed: true);
    }

    /// <summary>The hash recorded for the file, when its stat is the recorded one and it was not racily clean.</summary>
    public bool TryGet(string path, FileStat stat, out ContentHash hash)
    {
        var entry = Vouched(path, stat);
        hash = entry?.Content ?? default;
        return entry is not null;
    }

    /// <summary>The entry for the file when its stat is the recorded one and it was not racily clean, marked used by this run; null otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StatCacheEntry? Vouched(string path, FileStat stat)
    {
        if (!_entries.TryGetValue(path, out var entry) || entry.Stat != stat || !Settled(stat, entry.HashedAtNs))
        {
            return null;
        }

        entry.MarkUsed();
        return entry;
    }

    /// <summary>The entry this run vouched for or recorded under the path (<see cref="StatCacheEntry.Used"/>), without a stat taken; null when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StatCacheEntry? Used(string path) => _entries.TryGetValue(path, out var entry) && entry.Used ? entry : null;

    /// <summary>
    /// The cache's own string for the path when it holds an entry for it, found without making one: for a caller that
    /// keeps the path (a cell's bound files), so that each of 200,000 paths is held in one string.
    /// </summary>
    public string? KeyOf(ReadOnlySpan<char> path) => _entriesBySpan.TryGetValue(path, out var key, out _) ? key : null;

    /// <summary>
    /// How much older than a reading the file's mtime must be for its stat to vouch for the content read: the measured
    /// granularity on the cache's device, <see cref="RacyMarginNs"/> elsewhere or before it is measured.
    /// </summary>
    public long MarginFor(FileStat stat) => _granularityNs > 0 && stat.Device == _device ? _granularityNs : RacyMarginNs;

    /// <summary>Whether a reading begun at <paramref name="readAtNs"/> of a file with this stat is safe from the racy case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Settled(FileStat stat, long readAtNs) => Settled(stat, readAtNs, MarginFor(stat));

    /// <summary>The racy rule itself: the mtime strictly older than the reading by more than the margin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Settled(FileStat stat, long readAtNs, long marginNs) => stat.ModifiedNs < readAtNs - marginNs;

    /// <summary>The entries this run recorded that are still racy (their stat cannot vouch yet), with the margin each needs.</summary>
    public List<(string Path, FileStat Stat, long MarginNs)> Unsettled() =>
        _entries.Where(e => e.Value.Used && !Settled(e.Value.Stat, e.Value.HashedAtNs))
            .Select(e => (e.Key, e.Value.Stat, MarginFor(e.Value.Stat)))
            .ToList();

    /// <summary>Records the file's hash with the stat it had when its reading began.</summary>
    /// <returns>The entry recorded: this run's reading of the file.</returns>
    public StatCacheEntry Record(string path, FileStat stat, ContentHash hash, long hashedAtNs)
    {
        // A dictionary keeps its first key when the value is replaced: a file read again by each stage downstream is
        // held in one string, not one per reading.
        var entry = new StatCacheEntry(stat, hash, hashedAtNs);
        entry.MarkRecorded();
        _entries[path] = entry;
        _changed = true;
        return entry;
    }

    public void Remove(string path)
    {
        if (_entries.TryRemove(path, out _))
        {
            _removed[path] = 0;
            _changed = true;
        }
    }

    public void RemoveUnder(string directoryPrefix)
    {
        foreach (var key in _entries.Keys)
        {
            if (key.StartsWith(directoryPrefix, StringComparison.Ordinal))
            {
                Remove(key);
            }
        }
    }

    /// <summary>Measures the timestamp granularity of the cache's folder unless it is known (a few tens of milliseconds, once per workspace).</summary>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    public void EnsureGranularity()
    {
        if (_granularityNs == 0)
        {
            _granularityNs = TimestampGranularity.Measure(Path.GetDirectoryName(FilePath)!, out _device);
            _changed = true;
        }
    }

    /// <summary>
    /// Writes the cache when it changed: to a temp file beside it, then renamed over it. What this run recorded or
    /// removed is merged into the cache as it is on disk now (another run may have saved it since this one loaded it);
    /// an entry this run only used keeps the disk's version, marked used. A cache on disk that cannot be read is
    /// replaced by this run's.
    /// </summary>
    /// <param name="nowNs">The time now (nanoseconds since the Unix epoch; the system clock's when null), to drop entries unused for <see cref="UnusedLifetimeNs"/>.</param>
    /// <returns>True when it was written.</returns>
    public bool SaveIfChanged(long? nowNs = null)
    {
        if (!_changed)
        {
            return false;
        }

        var now = nowNs ?? FileStats.NowNs();
        using var merging = ShortLock.Take(Path.Combine(Path.GetDirectoryName(FilePath)!, "stat-cache.lock"), CancellationToken.None);
        var kept = Merged().Where(e => e.Value.Used || e.Value.HashedAtNs > now - UnusedLifetimeNs)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        EnsureGranularity();
        var bytes = Serialize(kept, new MeasuredGranularity(_granularityNs, _device));
        var temp = AtomicFile.TempPathFor(FilePath);
        try
        {
            // No fsync: a cache torn by a crash fails its checksum and is rebuilt, which costs a re-read, never a wrong skip.
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, FilePath, overwrite: true);
            _loaded = null;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        _changed = false;
        _removed.Clear();
        foreach (var entry in _entries.Values)
        {
            entry.ForgetRecorded();
        }
        return true;
    }

    /// <summary>The cache on disk now with this run's records and removals over it; this run's alone when there is none to read.</summary>
    private ConcurrentDictionary<string, StatCacheEntry> Merged()
    {
        // Unchanged since this run loaded it (saves replace the file: a new inode, a later ctime): the disk holds what
        // this run started from, so its own entries are the merge. At 40,000 partitions that saves reading and parsing
        // 200,000 entries again at the end of every run that recorded anything.
        if (_loaded is { } loaded && FileStats.Read(FilePath, out var now) == FileStatKind.RegularFile && now == loaded)
        {
            return _entries;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return _entries;
        }

        if (!TryParse(bytes, out var disk, out _, out _))
        {
            return _entries;
        }

        foreach (var (path, entry) in disk)
        {
            if (_entries.TryGetValue(path, out var mine) && mine.Used && mine.SaysSameAs(entry))
            {
                entry.MarkUsed();
            }
        }

        // A path removed and then recorded again is the recorded entry's.
        foreach (var path in _removed.Keys)
        {
            if (!_entries.ContainsKey(path))
            {
                disk.TryRemove(path, out _);
            }
        }

        foreach (var (path, mine) in _entries)
        {
            if (mine.Recorded)
            {
                disk[path] = mine;
            }
        }

        return disk;
    }

    internal static byte[] Serialize(IReadOnlyCollection<KeyValuePair<string, StatCacheEntry>> entries, MeasuredGranularity granularity)
    {
        using var stream = new MemoryStream(64 + (entries.Count * 160));
        using (var writer = new BinaryWriter(stream, Utf8NoBom, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(ContentHasher.Algorithm);
            writer.Write(granularity.Ns);
            writer.Write(granularity.Device);
            writer.Write(entries.Count);
            foreach (var (path, entry) in entries)
            {
                writer.Write(path);
                writer.Write(entry.Stat.Device);
                writer.Write(entry.Stat.Inode);
                writer.Write(entry.Stat.Size);
                writer.Write(entry.Stat.ModifiedNs);
                writer.Write(entry.Stat.ChangedNs);
                writer.Write(entry.HashedAtNs);
                writer.Write(entry.Content.High);
                writer.Write(entry.Content.Low);
            }

            writer.Flush();
            var checksum = ContentHasher.HashBytes(stream.GetBuffer().AsSpan(0, (int)stream.Length));
            writer.Write(checksum.High);
            writer.Write(checksum.Low);
        }

        return stream.ToArray();
    }

    // One call per run over thousands of entries: it should not start out as unoptimized code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryParse(byte[] bytes, out ConcurrentDictionary<string, StatCacheEntry> entries, out MeasuredGranularity? granularity, out string reason)
    {
        entries = NewDictionary(0);
        granularity = null;
        if (bytes.Length < ChecksumLength)
        {
            reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it is {bytes.Length:N0} bytes long, too short to be a cache");
            return false;
        }

        var body = bytes.AsSpan(0, bytes.Length - ChecksumLength);
        var expected = ContentHasher.HashBytes(body);
        var trailer = bytes.AsSpan(bytes.Length - ChecksumLength);
        if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != expected.High || BinaryPrimitives.ReadUInt64LittleEndian(trailer[8..]) != expected.Low)
        {
            reason = "its checksum does not match its content";
            return false;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, body.Length, writable: false), Utf8NoBom);
            var version = string.Equals(reader.ReadString(), Magic, StringComparison.Ordinal) ? reader.ReadInt32() : -1;
            if (version is not (FormatVersion or FormatVersionWithoutGranularity))
            {
                reason = "it is not a stat cache of this format";
                return false;
            }

            if (!string.Equals(reader.ReadString(), ContentHasher.Algorithm, StringComparison.Ordinal))
            {
                reason = "its hashes are of another algorithm";
                return false;
            }

            // A cache of the first format is read whole; its folder's granularity is measured when it is next written.
            granularity = version == FormatVersion ? new MeasuredGranularity(reader.ReadInt64(), reader.ReadUInt64()) : null;
            if (granularity is { Ns: <= 0 })
            {
                granularity = null;
                reason = "its timestamp granularity is not positive";
                return false;
            }

            var count = reader.ReadInt32();
            if (count < 0)
            {
                reason = "its entry count is negative";
                return false;
            }

            entries = NewDictionary(count);
            for (var i = 0; i < count; i++)
            {
                var path = reader.ReadString();
                var stat = new FileStat(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
                var hashedAt = reader.ReadInt64();
                entries[path] = new StatCacheEntry(stat, new ContentHash(reader.ReadUInt64(), reader.ReadUInt64()), hashedAt);
            }

            if (reader.BaseStream.Position != body.Length)
            {
                granularity = null;
                reason = "it has bytes after its last entry";
                return false;
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or DecoderFallbackException)
        {
            entries = NewDictionary(0);
            granularity = null;
            reason = $"it is cut short or malformed ({e.Message})";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    private static ConcurrentDictionary<string, StatCacheEntry> NewDictionary(int capacity) =>
        new(concurrencyLevel: Environment.ProcessorCount, capacity: Math.Max(capacity, 31), comparer: StringComparer.Ordinal);

    private static string Unreadable(string path, string reason) =>
        $"the stat cache {path} is unreadable ({reason}); it is rebuilt and every file is hashed this run";
}
