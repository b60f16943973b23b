using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Content hashes of files, the single place the engine gets them. Each file is read at most once per run (the
/// same file is often an output of one stage and an input of several), and not at all when the workspace's
/// <see cref="StatCache"/> vouches for it: a no-op run stats files and reads none. The engine updates an entry when
/// it promotes a new output over that path.
/// </summary>
internal sealed class FileHashes
{
    private const int ParallelThreshold = 512;

    /// <summary>The longest a run waits, before writing the stat cache, for a timestamp tick to pass (<see cref="SettleRacy"/>).</summary>
    private const long SettleWaitLimitNs = 50_000_000L;

    // What this run knows of files the stat cache does not hold for it: content the engine set (Set), a file whose stat
    // moved while it was read, every file when there is no cache. A file the cache vouched for or recorded in this run
    // is remembered as the cache's entry (StatCache.Used) and not here: at 40,000 partitions, 200,000 objects and
    // dictionary nodes fewer. A path is in one or the other; this one is asked first.
    private readonly ConcurrentDictionary<string, FileReading> _others = new(StringComparer.Ordinal);
    private readonly StatCache? _cache;
    private readonly bool _readOnly;
    private readonly TimeProvider _clock = TimeProvider.System;

    /// <summary>Hashes memoized for this run only, with no cache across runs.</summary>
    public FileHashes()
    {
    }

    private FileHashes(StatCache cache, bool readOnly, TimeProvider? clock)
    {
        _cache = cache;
        _readOnly = readOnly;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Whether a file's remembered reading is checked against its stat before it is used again: set while another run
    /// works on the workspace, which may rewrite a file this run read (an input of a cell it does not hold). A file
    /// whose stat moved is read again; one the engine itself wrote (no stat remembered) is trusted, as its cell is held.
    /// </summary>
    public bool RecheckRemembered { get; set; }

    /// <summary>
    /// A test seam: raised with the path and whether it was a <see cref="Fresh"/> re-check, each time a file's
    /// content is actually read and hashed (not when the memo or the stat cache answered).
    /// </summary>
    internal static event Action<string, bool>? ContentRead;

    /// <summary>Opens the hashes of a run in the workspace whose engine state folder is <paramref name="stateDirectory"/>.</summary>
    /// <param name="stateDirectory">The workspace's <c>.cairn</c> folder.</param>
    /// <param name="problem">Why the stat cache was unreadable and is being rebuilt (a warning for the run), or null.</param>
    /// <param name="clock">
    /// The clock a file's mtime is compared with (the racy rule: is the file older than its reading by the measured
    /// granularity, <see cref="StatCache.MarginFor"/>?); the system's unless a test moves it on instead of waiting.
    /// </param>
    public static FileHashes Open(string stateDirectory, out string? problem, TimeProvider? clock = null) =>
        new(StatCache.Load(Path.Combine(stateDirectory, StatCache.FileName), out problem), readOnly: false, clock);

    /// <summary>
    /// The workspace's stat cache for a reader that writes nothing (Status): a file it vouches for is not read, and
    /// what this reader learns stays in its memory; <see cref="Save"/> writes nothing. An unreadable cache is ignored:
    /// it costs reads, never a wrong answer.
    /// </summary>
    public static FileHashes OpenReadOnly(string stateDirectory, TimeProvider? clock = null) =>
        new(StatCache.Load(Path.Combine(stateDirectory, StatCache.FileName), out _), readOnly: true, clock);

    /// <returns>The hash, or null when the file does not exist.</returns>
    /// <exception cref="NotAFileException">The path is a FIFO, a socket or a device.</exception>
    /// <exception cref="UnreadableFileException">The file could not be read (an I/O error, no permission).</exception>
    public string? Get(string fullPath) => Reading(fullPath)?.Hash;

    /// <summary><see cref="Reading(string)"/>, with the stat the file had a moment ago when it was taken of this very path (not taken again).</summary>
    /// <param name="fullPath">The file.</param>
    /// <param name="taken">A regular file's stat and the path it was taken of, from the check just before; ignored for another path.</param>
    /// <returns>The reading, or null when the file does not exist.</returns>
    /// <exception cref="NotAFileException">The path is a FIFO, a socket or a device.</exception>
    /// <exception cref="UnreadableFileException">The file could not be read (an I/O error, no permission).</exception>
    public FileReading? Reading(string fullPath, PathStat? taken) =>
        Reading(fullPath, statNow: taken is { } t && string.Equals(t.Path, fullPath, StringComparison.Ordinal) ? t.Stat : null);

    /// <summary>What this run knows of the file: its hash, and the stat it had when the hash was taken.</summary>
    /// <returns>The reading, or null when the file does not exist.</returns>
    /// <exception cref="NotAFileException">The path is a FIFO, a socket or a device.</exception>
    /// <exception cref="UnreadableFileException">The file could not be read (an I/O error, no permission).</exception>
    public FileReading? Reading(string fullPath) => Reading(fullPath, statNow: null);

    // Called once per file, thousands of times, in a process that lives a second or two: here, in the stat and in
    // the cache lookup, optimized code from the first call rather than after tiering (as the hashing loops do).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FileReading? Reading(string fullPath, FileStat? statNow)
    {
        if (Remembered(fullPath) is { } known && !(RecheckRemembered && Moved(fullPath, known)))
        {
            return known;
        }

        var reading = Read(fullPath, fresh: false, statNow);
        if (reading is not null)
        {
            Remember(fullPath, reading);
        }

        return reading;
    }

    /// <summary>This run's reading of the file, when it has one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private FileReading? Remembered(string fullPath) =>
        _others.TryGetValue(fullPath, out var known) ? known : _cache?.Used(fullPath);

    /// <summary>Makes the reading this run's for the path: the cache's entry is remembered by being used, anything else here.</summary>
    private void Remember(string fullPath, FileReading reading)
    {
        if (reading is StatCacheEntry)
        {
            _others.TryRemove(fullPath, out _);
        }
        else
        {
            _others[fullPath] = reading;
        }
    }

    /// <summary>
    /// The string the stat cache holds for the path, or null: a cell's files are bound again by each stage that reads
    /// them, and each bound path kept as this string is not another copy of it.
    /// </summary>
    public string? KnownPath(ReadOnlySpan<char> fullPath) => _cache?.KeyOf(fullPath);

    /// <summary>
    /// The readings of many files, in order (null for a missing one). A large set (a cell over a folder of thousands of
    /// files) is spread over every core: in a no-op run each file costs a stat, and the stats of one cell need not
    /// wait for each other.
    /// </summary>
    public FileReading?[] GetAll(IReadOnlyList<string> fullPaths)
    {
        var readings = new FileReading?[fullPaths.Count];
        ForEachFile(readings.Length, i => readings[i] = Reading(fullPaths[i]));
        return readings;
    }

    /// <summary>
    /// Runs <paramref name="body"/> for each index of a cell's files, spread over every core when there are many (a
    /// whole-dataset cell's 120,000 inputs at 40,000 partitions), in order on this thread when there are few. The first
    /// exception thrown is rethrown as it was thrown.
    /// </summary>
    /// <param name="count">How many files.</param>
    /// <param name="body">The work for one file, by its index; it may run on any thread.</param>
    public static void ForEachFile(int count, Action<int> body)
    {
        if (count < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        var ranges = Partitioner.Create(0, count, Math.Max(ParallelThreshold / 2, count / (Environment.ProcessorCount * 4)));
        try
        {
            Parallel.ForEach(ranges, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    body(i);
                }
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static bool Moved(string fullPath, FileReading known) =>
        known.Stat is { } stat && (FileStats.Read(fullPath, out var now) != FileStatKind.RegularFile || now != stat);

    /// <summary>Hashes the file as it is now, reading it whatever the memo or the stat cache say, and refreshes both.</summary>
    public string? Fresh(string fullPath)
    {
        // Read records a steady file in the cache (its entry, used, is then the reading), removes a missing or unreadable
        // one from it, and leaves an entry as it was for a file whose stat moved while it was read: that reading is kept
        // here, where it is asked for first.
        _others.TryRemove(fullPath, out _);
        var reading = Read(fullPath, fresh: true);
        if (reading is not null)
        {
            Remember(fullPath, reading);
        }

        return reading?.Hash;
    }

    /// <summary>
    /// Whether the file is still as it was read (the check after a cell ran that its inputs did not move under it). Its
    /// stat identity (size, mtime, ctime, inode, device) must be the one it had when its hash was taken, since any
    /// write since then, even one that put the same bytes back, may have been half read by the stage. A file whose mtime
    /// was not yet safely older than that reading (the stat cache's racy rule) could have been written within the same
    /// timestamp tick: it is also read again and must still hash the same. A file read while its stat moved has no
    /// identity to compare: it was unstable from the start.
    /// </summary>
    public bool Unmoved(string fullPath, FileReading then)
    {
        if (then.Stat is not { } stat || FileStats.Read(fullPath, out var now) != FileStatKind.RegularFile || now != stat)
        {
            return false;
        }

        if (Settled(stat, then.TakenAtNs))
        {
            return true;
        }

        return string.Equals(Fresh(fullPath), then.Hash, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hashes a file the engine is about to move into place (a staged output), with the stat it has: give the reading to
    /// <see cref="Promoted"/> once the file is at its final path. Not a read a test counts (<see cref="ContentRead"/>):
    /// the file is the engine's own, before it is anyone's input.
    /// </summary>
    /// <exception cref="IOException">The staged file could not be read.</exception>
    public FileReading Staged(string stagedPath)
    {
        var kind = FileStats.Read(stagedPath, out var before);
        var takenAt = FileStats.NowNs(_clock);
        var hash = ContentHasher.HashFile(stagedPath);
        var steady = kind == FileStatKind.RegularFile && FileStats.Read(stagedPath, out var after) == FileStatKind.RegularFile && after == before;
        return new FileReading(hash, steady ? before : null, takenAt);
    }

    /// <summary>
    /// Records that the staged file read by <see cref="Staged"/> is now at <paramref name="fullPath"/>, in this run's memo
    /// and in the stat cache, so the next run does not read again what this one wrote. A rename keeps the inode and the
    /// mtime and moves only the ctime: a file still of the staged inode, size and mtime was not written since it was
    /// hashed (a write would have stamped a later mtime, unless it fell within the tick of the staged one, which the racy
    /// rule leaves to a re-read). Anything else falls back to <see cref="Set"/>: the next run reads it.
    /// </summary>
    public void Promoted(string fullPath, FileReading staged)
    {
        if (staged.Stat is { } before
            && FileStats.Read(fullPath, out var now) == FileStatKind.RegularFile
            && now.Device == before.Device && now.Inode == before.Inode && now.Size == before.Size && now.ModifiedNs == before.ModifiedNs)
        {
            Remember(fullPath, (FileReading?)_cache?.Record(fullPath, now, staged.Content, staged.TakenAtNs) ?? new FileReading(staged.Content, now, staged.TakenAtNs));
            return;
        }

        Set(fullPath, staged.Content);
    }

    /// <summary>
    /// Records the hash of content the engine put at the path by other means than <see cref="Promoted"/>, with the stat
    /// the file has now. Only this run's memo takes it: nothing proves the stat is the one the content was hashed with,
    /// so the next run reads it once and caches it then. Its reading counts as taken the moment it was written, so it
    /// is racy: a cell reading it in this run has it read again afterwards, besides the stat check.
    /// </summary>
    public void Set(string fullPath, ContentHash hash)
    {
        _others[fullPath] = FileStats.Read(fullPath, out var now) == FileStatKind.RegularFile
            ? new FileReading(hash, now, now.ModifiedNs)
            : new FileReading(hash, null, 0);
        _cache?.Remove(fullPath);
    }

    public void Forget(string fullPath)
    {
        _others.TryRemove(fullPath, out _);
        _cache?.Remove(fullPath);
    }

    /// <summary>Forgets every path under a folder (after a directory output was replaced).</summary>
    public void ForgetUnder(string directory)
    {
        var prefix = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        foreach (var key in _others.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _others.TryRemove(key, out _);
        }

        _cache?.RemoveUnder(prefix);
    }

    /// <summary>Writes the stat cache when this run changed it; a read-only reader never writes it.</summary>
    /// <returns>Why it could not be written (a warning: the next run just reads more), or null.</returns>
    public string? Save()
    {
        if (_cache is null || _readOnly)
        {
            return null;
        }

        try
        {
            _cache.EnsureGranularity();
            SettleRacy(_cache);
            _cache.SaveIfChanged(FileStats.NowNs(_clock));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the stat cache {_cache.FilePath} could not be written ({e.Message}); the next run hashes the files again";
        }
    }

    /// <summary>
    /// Git's check of racily clean entries when it writes its index: what this run recorded within a timestamp tick of
    /// its mtime (outputs hashed the moment their stage wrote them) is read again once that tick has passed, so the
    /// cache written now vouches for it and the next run reads nothing. Skipped where the tick ends later than
    /// <see cref="SettleWaitLimitNs"/> from now (a file system of whole seconds, an mtime in the future): the run does
    /// not wait that long, and the next run reads those files instead.
    /// </summary>
    private void SettleRacy(StatCache cache)
    {
        var now = FileStats.NowNs(_clock);
        var racy = cache.Unsettled().Where(e => e.Stat.ModifiedNs + e.MarginNs - now <= SettleWaitLimitNs).ToList();
        if (racy.Count == 0)
        {
            return;
        }

        var wait = racy.Max(e => e.Stat.ModifiedNs + e.MarginNs) - now;
        if (wait >= 0)
        {
            Thread.Sleep(TimeSpan.FromTicks((wait / 100) + 1));
        }

        foreach (var (path, _, _) in racy)
        {
            try
            {
                Fresh(path);
            }
            catch (Exception e) when (e is NotAFileException or UnreadableFileException)
            {
                // Read knew better than the cache and dropped the entry: the next run finds out what the path is.
            }
        }
    }

    private bool Settled(FileStat stat, long readAtNs) =>
        _cache?.Settled(stat, readAtNs) ?? StatCache.Settled(stat, readAtNs, StatCache.RacyMarginNs);

    // A file the cache vouches for or records is read as the cache's entry: the run's memory and the cache hold one
    // object and one string for each of 200,000 paths, not two objects and two dictionary nodes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FileReading? Read(string fullPath, bool fresh, FileStat? statNow = null)
    {
        FileStat before;
        FileStatKind kind;
        if (statNow is { } given)
        {
            (kind, before) = (FileStatKind.RegularFile, given);
        }
        else
        {
            kind = FileStats.Read(fullPath, out before);
        }

        if (kind == FileStatKind.Missing)
        {
            _cache?.Remove(fullPath);
            return null;
        }

        if (kind == FileStatKind.NotAFile)
        {
            _cache?.Remove(fullPath);
            throw new NotAFileException(fullPath, FileStats.Describe(fullPath));
        }

        var cacheable = _cache is not null && kind == FileStatKind.RegularFile;
        // The entry's reading began before this stat was taken, and the racy rule held for it then: it holds for the
        // entry as this run's reading (Unmoved compares with it) as it would for a reading taken now.
        if (cacheable && !fresh && _cache!.Vouched(fullPath, before) is { } vouched)
        {
            return vouched;
        }

        var hashedAt = FileStats.NowNs(_clock);

        ContentHash hash;
        try
        {
            hash = ContentHasher.HashFile(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            _cache?.Remove(fullPath);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _cache?.Remove(fullPath);
            throw new UnreadableFileException(fullPath, e);
        }

        ContentRead?.Invoke(fullPath, fresh);

        // Recorded only when the stat did not move while the file was read; otherwise the hash may mix two versions.
        var regular = kind == FileStatKind.RegularFile;
        var steady = regular && FileStats.Read(fullPath, out var after) == FileStatKind.RegularFile && after == before;
        return cacheable && steady ? _cache!.Record(fullPath, before, hash, hashedAt) : new FileReading(hash, steady ? before : null, hashedAt);
    }
}
