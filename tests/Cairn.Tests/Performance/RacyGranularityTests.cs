using Cairn.Engine.Workspace;
using Cairn.Hashing;
using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Performance;

/// <summary>
/// The stat cache's racy rule with the file system's timestamp granularity measured: what a run wrote is not read
/// again by the next run, and a rewrite within one timestamp tick of a reading is still caught, on a file system of
/// whole seconds too.
/// </summary>
public sealed class RacyGranularityTests
{
    private const long Second = 1_000_000_000L;
    private static readonly string[] Days = ["2013-05-01", "2013-05-02", "2013-05-03"];

    [Fact]
    public void First_no_op_right_after_a_run_reads_no_file_content()
    {
        using var h = EngineHarness.TwoStages(Days);
        using var reads = new ContentReads(h.Env.Root);
        h.Run().ShouldSucceed();
        reads.Clear();

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        run.Output.ShouldContain("Concat: skipped, up to date");
        reads.Decided.ShouldBeEmpty("what the run wrote and read was cached with a stat that vouches for it");
        reads.Count.ShouldBe(0);
    }

    [Fact]
    public void The_cache_holds_the_granularity_measured_in_its_folder_and_uses_it_only_on_that_device()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf(".cairn/stat-cache.bin");
        var cache = StatCache.Load(path, out _);
        cache.GranularityNs.ShouldBe(0);
        var stat = new FileStat(1, 2, 3, 100 * Second, 100 * Second);
        cache.MarginFor(stat).ShouldBe(StatCache.RacyMarginNs, "nothing is measured before the cache is first written");
        cache.Record("/f", stat, new ContentHash(1, 2), 200 * Second);

        cache.SaveIfChanged().ShouldBeTrue();
        var loaded = StatCache.Load(path, out var problem);

        problem.ShouldBeNull();
        FileStats.Read(path, out var cacheStat).ShouldBe(FileStatKind.RegularFile);
        loaded.GranularityNs.ShouldBe(cache.GranularityNs);
        loaded.GranularityNs.ShouldBeInRange(TimestampGranularity.FloorNs, StatCache.RacyMarginNs);
        loaded.MarginFor(stat with { Device = cacheStat.Device }).ShouldBe(loaded.GranularityNs);
        loaded.MarginFor(stat with { Device = cacheStat.Device + 1 }).ShouldBe(StatCache.RacyMarginNs, "another file system's granularity was not measured");
        Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Order(StringComparer.Ordinal).ToArray()
            .ShouldBe([path, Path.ChangeExtension(path, ".lock")], "the probes are gone; the lock concurrent saves take stays");
    }

    [Fact]
    public void A_cache_moved_to_another_device_measures_again()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf(".cairn/stat-cache.bin");
        var stat = new FileStat(1, 2, 3, 100 * Second, 100 * Second);
        File.WriteAllBytes(
            env.WriteFile(".cairn/stat-cache.bin", string.Empty),
            StatCache.Serialize([new("/f", new StatCacheEntry(stat, new ContentHash(1, 2), 200 * Second))], new MeasuredGranularity(5 * Second, ulong.MaxValue)));

        var cache = StatCache.Load(path, out var problem);

        problem.ShouldBeNull();
        cache.GranularityNs.ShouldBe(0, "the granularity measured on another device says nothing of this one");
        cache.Changed.ShouldBeTrue("it is written again, with this folder's granularity");
        cache.TryGet("/f", stat, out _).ShouldBeTrue("its entries still hold, under the two-second margin");
    }

    [Theory]
    [InlineData("fine", 0L, 1L, TimestampGranularity.FloorNs)]
    [InlineData("microseconds", 0L, 1_000L, TimestampGranularity.FloorNs)]
    [InlineData("hundredths", 0L, 10_000_000L, 10_000_000L)]
    [InlineData("whole seconds", 0L, Second, TimestampGranularity.WholeSecondsNs)]
    [InlineData("a clock tick behind", 4_000_000L, 1L, 8_000_000L)]
    public void Probes_give_the_larger_of_the_resolution_and_twice_the_lag(string fileSystem, long lagNs, long resolutionNs, long expectedNs)
    {
        // Probes written every 10 ms: mtime = the clock before the write, less the lag, cut to the resolution.
        var before = Enumerable.Range(0, 64).Select(i => (1_700_000_000L * Second) + 123_456_789L + (i * 10_000_000L)).ToList();
        var mtimes = before.Select(b => (b - lagNs) / resolutionNs * resolutionNs).ToList();

        TimestampGranularity.Margin(before, mtimes).ShouldBe(expectedNs, fileSystem);
    }

    [Theory]
    [InlineData(2 * Second, true)]
    [InlineData(0L, false)]
    public void On_a_file_system_of_whole_seconds_a_same_size_rewrite_in_the_second_of_a_reading_is_detected(long granularityNs, bool detected)
    {
        // A file system of whole seconds, simulated: the cache holds the granularity such a folder measures (2 s; 0
        // keeps the one measured here), the rewritten file's mtime is a whole second, and the cache claims the old
        // content for its stat as read 1.5 s into that second, when a rewrite still lands in the same second.
        using var h = EngineHarness.TwoStages(Days);
        StatCacheFile.Warm(h);
        var raw = Path.Combine(h.Raw, "date=2013-05-02", "part.csv");
        var entries = StatCacheFile.Read(h.Workspace, out var measured);
        var before = entries[raw].Content;
        var second = DateTime.UtcNow.AddSeconds(-30);
        second = second.AddTicks(-(second.Ticks % TimeSpan.TicksPerSecond));
        File.WriteAllText(raw, "ROW OF 2013-05-02\n");
        File.SetLastWriteTimeUtc(raw, second);
        FileStats.Read(raw, out var stat);
        stat.ModifiedNs.ShouldBe((second - DateTime.UnixEpoch).Ticks * 100);
        StatCacheFile.Write(h.Workspace, entries, measured with { Ns = granularityNs > 0 ? granularityNs : measured.Ns });
        StatCacheFile.Claim(h.Workspace, raw, before, stat.ModifiedNs + (3 * Second / 2));

        var run = h.Run().ShouldSucceed();

        if (detected)
        {
            run.Output.ShouldContain("Upper date=2013-05-02: run, input changed: $raw/date=2013-05-02/part.csv");
            File.ReadAllText(h.WorkspaceFile("data/upper/date=2013-05-02/upper.txt")).ShouldBe("ROW OF 2013-05-02!\n");
        }
        else
        {
            // The other side: where the measured granularity is finer than the 1.5 s, that reading was safe and its
            // stat is believed (the claim is false on purpose, to show which rule decided).
            run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        }
    }
}
