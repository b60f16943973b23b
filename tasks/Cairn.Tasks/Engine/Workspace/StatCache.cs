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

    // An entry's least length in the file: an empty path's one-byte length, then eight 8-byte numbers.
    private const int MinEntryLength = 1 + (8 * 8);

    // What a read or a write of the file takes from the disk or gives it at once.
    private const int StreamBufferLength = 64 * 1024;

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
        bool parsed;
        ConcurrentDictionary<string, StatCacheEntry> entries;
        MeasuredGranularity? granularity;
        string reason;
        try
        {
            parsed = TryRead(path, out entries, out granularity, out reason);
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

        if (parsed)
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
        var temp = AtomicFile.TempPathFor(FilePath);
        try
        {
            // No fsync: a cache torn by a crash fails its checksum and is rebuilt, which costs a re-read, never a wrong skip.
            // Written as it is made: 200,000 entries at 40,000 partitions are 25 MB, which a buffer made whole, then
            // copied, held twice over at the end of the run.
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                Write(file, kept, new MeasuredGranularity(_granularityNs, _device));
            }

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

        ConcurrentDictionary<string, StatCacheEntry> disk;
        try
        {
            if (!TryRead(FilePath, out disk, out _, out _))
            {
                return _entries;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
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
        using var stream = new MemoryStream(64 + (entries.Count * 128));
        Write(stream, entries, granularity);
        return stream.ToArray();
    }

    /// <summary>Writes the cache to <paramref name="stream"/> as it is made: the body, then the checksum of the body.</summary>
    private static void Write(Stream stream, IReadOnlyCollection<KeyValuePair<string, StatCacheEntry>> entries, MeasuredGranularity granularity)
    {
        var body = new ChecksummedStream(stream);
        using (var writer = new BinaryWriter(new BufferedStream(body, StreamBufferLength), Utf8NoBom))
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
        }

        Span<byte> checksum = stackalloc byte[ChecksumLength];
        var digest = body.Digest;
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, digest.High);
        BinaryPrimitives.WriteUInt64LittleEndian(checksum[8..], digest.Low);
        stream.Write(checksum);
    }

    /// <summary>Reads and checks the cache file in one pass (<see cref="TryParse(Stream, long, out ConcurrentDictionary{string, StatCacheEntry}, out MeasuredGranularity?, out string)"/>).</summary>
    /// <exception cref="IOException">The file cannot be opened or read (<see cref="FileNotFoundException"/> when it is missing).</exception>
    private static bool TryRead(string path, out ConcurrentDictionary<string, StatCacheEntry> entries, out MeasuredGranularity? granularity, out string reason)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return TryParse(file, file.Length, out entries, out granularity, out reason);
    }

    internal static bool TryParse(byte[] bytes, out ConcurrentDictionary<string, StatCacheEntry> entries, out MeasuredGranularity? granularity, out string reason)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return TryParse(stream, bytes.Length, out entries, out granularity, out reason);
    }

    /// <summary>
    /// Reads the cache from <paramref name="stream"/> (<paramref name="length"/> bytes) as it comes, hashing the body as
    /// it is read, so a cache of 200,000 entries is never held whole as bytes (25 MB at 40,000 partitions). As when it
    /// was read whole and checked first: a body that does not match its checksum is that, whatever else is wrong with
    /// it, and nothing of it is kept.
    /// </summary>
    /// <exception cref="IOException">The stream could not be read (a read of the file failed, not its content).</exception>
    // One call per run over thousands of entries: it should not start out as unoptimized code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParse(Stream stream, long length, out ConcurrentDictionary<string, StatCacheEntry> entries, out MeasuredGranularity? granularity, out string reason)
    {
        entries = NewDictionary(0);
        granularity = null;
        if (length < ChecksumLength)
        {
            reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it is {length:N0} bytes long, too short to be a cache");
            return false;
        }

        var bodyLength = length - ChecksumLength;
        var body = new ChecksummedStream(stream, readLimit: bodyLength);
        string? malformed = null;
        ConcurrentDictionary<string, StatCacheEntry>? read = null;
        MeasuredGranularity? measured = null;
        try
        {
            using var reader = new BinaryReader(new BufferedStream(body, StreamBufferLength), Utf8NoBom);
            (read, measured, malformed) = ParseBody(reader, bodyLength);
        }
        catch (Exception e) when (e is IOException or FormatException or DecoderFallbackException)
        {
            // BinaryReader says a bad length with an IOException too. A read of the file that really failed fails
            // again just below, and is thrown from there.
            malformed = $"it is cut short or malformed ({e.Message})";
        }

        // The whole body through the hash, whatever the parse made of it, then the checksum after it.
        body.ReadToLimit();
        Span<byte> trailer = stackalloc byte[ChecksumLength];
        var expected = body.Digest;
        if (body.Through != bodyLength || stream.ReadAtLeast(trailer, ChecksumLength, throwOnEndOfStream: false) != ChecksumLength
            || BinaryPrimitives.ReadUInt64LittleEndian(trailer) != expected.High || BinaryPrimitives.ReadUInt64LittleEndian(trailer[8..]) != expected.Low)
        {
            reason = "its checksum does not match its content";
            return false;
        }

        if (malformed is not null || read is null)
        {
            reason = malformed ?? "it is cut short or malformed";
            return false;
        }

        entries = read;
        granularity = measured;
        reason = string.Empty;
        return true;
    }

    /// <returns>The entries and the measured granularity, or the reason the body is not a cache of this format.</returns>
    private static (ConcurrentDictionary<string, StatCacheEntry>? Entries, MeasuredGranularity? Granularity, string? Problem) ParseBody(BinaryReader reader, long bodyLength)
    {
        var version = string.Equals(reader.ReadString(), Magic, StringComparison.Ordinal) ? reader.ReadInt32() : -1;
        if (version is not (FormatVersion or FormatVersionWithoutGranularity))
        {
            return (null, null, "it is not a stat cache of this format");
        }

        if (!string.Equals(reader.ReadString(), ContentHasher.Algorithm, StringComparison.Ordinal))
        {
            return (null, null, "its hashes are of another algorithm");
        }

        // A cache of the first format is read whole; its folder's granularity is measured when it is next written.
        var granularity = version == FormatVersion ? new MeasuredGranularity(reader.ReadInt64(), reader.ReadUInt64()) : null;
        if (granularity is { Ns: <= 0 })
        {
            return (null, null, "its timestamp granularity is not positive");
        }

        var count = reader.ReadInt32();
        if (count < 0)
        {
            return (null, null, "its entry count is negative");
        }

        // Sized for the count, but never beyond what the body could hold: a count the checksum is about to refuse
        // must not make a dictionary of a billion slots first.
        var entries = NewDictionary((int)Math.Min(count, bodyLength / MinEntryLength));
        for (var i = 0; i < count; i++)
        {
            var path = reader.ReadString();
            var stat = new FileStat(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
            var hashedAt = reader.ReadInt64();
            entries[path] = new StatCacheEntry(stat, new ContentHash(reader.ReadUInt64(), reader.ReadUInt64()), hashedAt);
        }

        return reader.BaseStream.ReadByte() >= 0 ? (null, null, "it has bytes after its last entry") : (entries, granularity, null);
    }

    private static ConcurrentDictionary<string, StatCacheEntry> NewDictionary(int capacity) =>
        new(concurrencyLevel: Environment.ProcessorCount, capacity: Math.Max(capacity, 31), comparer: StringComparer.Ordinal);

    private static string Unreadable(string path, string reason) =>
        $"the stat cache {path} is unreadable ({reason}); it is rebuilt and every file is hashed this run";
}
