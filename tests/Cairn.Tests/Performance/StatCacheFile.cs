using System.Collections.Concurrent;
using Cairn.Engine.Workspace;
using Cairn.Hashing;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Performance;

/// <summary>Reads and rewrites a workspace's stat cache, to put it in states that are hard to reach by timing alone.</summary>
internal static class StatCacheFile
{
    public static string PathIn(string workspace) => Path.Combine(workspace, ".cairn", StatCache.FileName);

    public static ConcurrentDictionary<string, StatCacheEntry> Read(string workspace) => Read(workspace, out _);

    public static ConcurrentDictionary<string, StatCacheEntry> Read(string workspace, out MeasuredGranularity granularity)
    {
        StatCache.TryParse(File.ReadAllBytes(PathIn(workspace)), out var entries, out var measured, out var reason).ShouldBeTrue(reason);
        granularity = measured.ShouldNotBeNull("a cache this engine wrote holds its folder's measured granularity");
        return entries;
    }

    /// <summary>Writes the entries, keeping the granularity the cache holds.</summary>
    public static void Write(string workspace, ConcurrentDictionary<string, StatCacheEntry> entries)
    {
        Read(workspace, out var granularity);
        Write(workspace, entries, granularity);
    }

    /// <summary>Writes the entries with the granularity given (the one a coarser file system would have measured).</summary>
    public static void Write(string workspace, ConcurrentDictionary<string, StatCacheEntry> entries, MeasuredGranularity granularity) =>
        File.WriteAllBytes(PathIn(workspace), StatCache.Serialize(entries.ToList(), granularity));

    /// <summary>Makes the cache claim that the file, as its stat is now, holds <paramref name="hash"/> as read at <paramref name="hashedAtNs"/>.</summary>
    public static void Claim(string workspace, string file, ContentHash hash, long hashedAtNs)
    {
        var entries = Read(workspace);
        FileStats.Read(file, out var stat).ShouldBe(FileStatKind.RegularFile);
        entries[file] = new StatCacheEntry(stat, hash, hashedAtNs);
        Write(workspace, entries);
    }

    /// <summary>
    /// Moves every entry's reading time <paramref name="seconds"/> later: the state the cache would be in had each file
    /// been read that much later, without the test waiting for file timestamps to leave the racy window.
    /// </summary>
    public static void Age(string workspace, int seconds)
    {
        var entries = Read(workspace);
        foreach (var (path, entry) in entries)
        {
            entries[path] = new StatCacheEntry(entry.Stat, entry.Content, entry.HashedAtNs + (seconds * 1_000_000_000L));
        }

        Write(workspace, entries);
    }

    /// <summary>A first run, a no-op run that caches the outputs, then the cache aged past the racy window: it vouches for every file.</summary>
    public static void Warm(EngineHarness h)
    {
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed().Output.ShouldNotContain(": run");
        Age(h.Workspace, 3);
    }
}
