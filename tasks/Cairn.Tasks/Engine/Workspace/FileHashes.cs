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

    private readonly ConcurrentDictionary<string, FileReading> _hashes = new(StringComparer.Ordinal);
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
    /// A test seam: raised with the path and whether it was a <see cref="Fresh"/> re-check, each time a file's
    /// content is actually read and hashed (not when the memo or the stat cache answered).
    /// </summary>
    internal static event Action<string, bool>? ContentRead;

    /// <summary>Opens the hashes of a run in the workspace whose engine state folder is <paramref name="stateDirectory"/>.</summary>
    /// <param name="stateDirectory">The workspace's <c>.cairn</c> folder.</param>
    /// <param name="problem">Why the stat cache was unreadable and is being rebuilt (a warning for the run), or null.</param>
    /// <param name="clock">
    /// The clock a file's timestamps are compared with (the racy rule: is the file older than its reading by
    /// <see cref="StatCache.RacyMarginNs"/>?); the system's unless a test moves it on instead of waiting.
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
    // Called once per file, thousands of times, in a process that lives a second or two: here, in the stat and in
    // the cache lookup, optimized code from the first call rather than after tiering (as the hashing loops do).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? Get(string fullPath)
    {
        if (_hashes.TryGetValue(fullPath, out var known))
        {
            return known.Hash;
        }

        var reading = Read(fullPath, fresh: false);
        if (reading is not null)
        {
            _hashes[fullPath] = reading;
        }

        return reading?.Hash;
    }

    /// <summary>
    /// The hashes of many files, in order (null for a missing one). A large set (a cell over a folder of thousands of
    /// files) is spread over every core: in a no-op run each file costs a stat, and the stats of one cell need not
    /// wait for each other.
    /// </summary>
    public string?[] GetAll(IReadOnlyList<string> fullPaths)
    {
        var hashes = new string?[fullPaths.Count];
        if (fullPaths.Count < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < hashes.Length; i++)
            {
                hashes[i] = Get(fullPaths[i]);
            }

            return hashes;
        }

        var ranges = Partitioner.Create(0, hashes.Length, Math.Max(ParallelThreshold / 2, hashes.Length / (Environment.ProcessorCount * 4)));
        try
        {
            Parallel.ForEach(ranges, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    hashes[i] = Get(fullPaths[i]);
                }
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return hashes;
    }

    /// <summary>Hashes the file as it is now, reading it whatever the memo or the stat cache say, and refreshes both.</summary>
    public string? Fresh(string fullPath)
    {
        _hashes.TryRemove(fullPath, out _);
        var reading = Read(fullPath, fresh: true);
        if (reading is not null)
        {
            _hashes[fullPath] = reading;
        }

        return reading?.Hash;
    }

    /// <summary>
    /// Whether the file still holds the content with this hash, as when this run first learned it (the check after a
    /// cell ran that its inputs did not change under it). A file whose stat is the one it had then, and whose
    /// timestamps were already safely older than that moment (the stat cache's racy rule), cannot have been written
    /// since without its stat moving: no read. Any other file is read again.
    /// </summary>
    public bool StillHolds(string fullPath, string hash)
    {
        if (_hashes.TryGetValue(fullPath, out var known)
            && string.Equals(known.Hash, hash, StringComparison.Ordinal)
            && known.Stat is { } then
            && Math.Max(then.ModifiedNs, then.ChangedNs) <= known.TakenAtNs - StatCache.RacyMarginNs
            && FileStats.Read(fullPath, out var now) == FileStatKind.RegularFile
            && now == then)
        {
            return true;
        }

        return string.Equals(Fresh(fullPath), hash, StringComparison.Ordinal);
    }

    /// <summary>
    /// Records the hash of content the engine just put at the path. Only this run's memo takes it: the file's
    /// timestamps are too new for the stat cache to vouch for it, so the next run reads it once and caches it then.
    /// </summary>
    public void Set(string fullPath, string hash)
    {
        _hashes[fullPath] = new FileReading(hash, null, 0);
        _cache?.Remove(fullPath);
    }

    public void Forget(string fullPath)
    {
        _hashes.TryRemove(fullPath, out _);
        _cache?.Remove(fullPath);
    }

    /// <summary>Forgets every path under a folder (after a directory output was replaced).</summary>
    public void ForgetUnder(string directory)
    {
        var prefix = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        foreach (var key in _hashes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _hashes.TryRemove(key, out _);
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
            _cache.SaveIfChanged(FileStats.NowNs(_clock));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the stat cache {_cache.FilePath} could not be written ({e.Message}); the next run hashes the files again";
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private FileReading? Read(string fullPath, bool fresh)
    {
        var kind = FileStats.Read(fullPath, out var before);
        if (kind == FileStatKind.Missing)
        {
            _cache?.Remove(fullPath);
            return null;
        }

        var cacheable = _cache is not null && kind == FileStatKind.RegularFile;
        var hashedAt = FileStats.NowNs(_clock);
        if (cacheable && !fresh && _cache!.TryGet(fullPath, before, out var cached))
        {
            return new FileReading(cached.ToString(), before, hashedAt);
        }

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

        ContentRead?.Invoke(fullPath, fresh);

        // Recorded only when the stat did not move while the file was read; otherwise the hash may mix two versions.
        var regular = kind == FileStatKind.RegularFile;
        var steady = regular && FileStats.Read(fullPath, out var after) == FileStatKind.RegularFile && after == before;
        if (cacheable && steady)
        {
            _cache!.Record(fullPath, before, hash, hashedAt);
        }

        return new FileReading(hash.ToString(), steady ? before : null, hashedAt);
    }
}
