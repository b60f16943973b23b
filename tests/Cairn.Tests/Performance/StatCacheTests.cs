using Cairn.Engine.Workspace;
using Cairn.Hashing;
using Cairn.Tests.Support;

namespace Cairn.Tests.Performance;

public sealed class StatCacheTests
{
    private const long Second = 1_000_000_000L;

    [Fact]
    public void Stat_of_a_file_gives_its_size_and_write_time_and_on_Linux_its_inode_and_device()
    {
        using var env = new TestEnvironment();
        var file = env.WriteFile("a.txt", "hello");
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc));

        FileStats.Read(file, out var stat).ShouldBe(FileStatKind.RegularFile);

        stat.Size.ShouldBe(5);
        stat.ModifiedNs.ShouldBe((new DateTime(2020, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100);
        if (OperatingSystem.IsLinux())
        {
            stat.Inode.ShouldNotBe(0UL);
            stat.ChangedNs.ShouldBeGreaterThan(stat.ModifiedNs);
        }
    }

    [Fact]
    public void Stat_tells_a_missing_path_from_a_folder()
    {
        using var env = new TestEnvironment();
        var folder = env.CreateFolder("folder");

        FileStats.Read(Path.Combine(folder, "none.txt"), out _).ShouldBe(FileStatKind.Missing);
        FileStats.Read(Path.Combine(folder, "none", "deeper.txt"), out _).ShouldBe(FileStatKind.Missing);
        FileStats.Read(folder, out _).ShouldBe(FileStatKind.Other);
    }

    [Fact]
    public void A_matching_stat_vouches_only_when_its_timestamps_are_older_than_the_reading_by_the_margin()
    {
        using var env = new TestEnvironment();
        var cache = StatCache.Load(env.PathOf("cache.bin"), out var problem);
        problem.ShouldBeNull();
        var stat = new FileStat(1, 2, 3, ModifiedNs: 100 * Second, ChangedNs: 101 * Second);
        var hash = new ContentHash(7, 8);

        cache.Record("/f", stat, hash, hashedAtNs: 102 * Second);
        cache.TryGet("/f", stat, out _).ShouldBeFalse();
        cache.Record("/f", stat, hash, hashedAtNs: (103 * Second) + 1);
        cache.TryGet("/f", stat, out var found).ShouldBeTrue();
        found.ShouldBe(hash);
        cache.TryGet("/f", stat with { Size = 4 }, out _).ShouldBeFalse();
        cache.TryGet("/f", stat with { Inode = 9 }, out _).ShouldBeFalse();
        cache.TryGet("/f", stat with { ChangedNs = 102 * Second }, out _).ShouldBeFalse();
        cache.TryGet("/g", stat, out _).ShouldBeFalse();
    }

    [Fact]
    public void The_entry_the_cache_vouches_with_is_the_one_it_recorded_and_a_later_record_replaces_it()
    {
        using var env = new TestEnvironment();
        var cache = StatCache.Load(env.PathOf("cache.bin"), out _);
        var stat = new FileStat(1, 2, 3, ModifiedNs: 100 * Second, ChangedNs: 101 * Second);

        var first = cache.Record(string.Concat("/data/", "day.csv"), stat, new ContentHash(1, 1), 200 * Second);
        cache.Vouched(string.Concat("/data/", "day.csv"), stat).ShouldBeSameAs(first, "one object per path: the run's reading is the cache's entry");
        cache.Used("/data/day.csv").ShouldBeSameAs(first);
        var again = cache.Record("/data/day.csv", stat, new ContentHash(2, 2), 300 * Second);

        cache.Vouched("/data/day.csv", stat).ShouldBeSameAs(again);
        again.Content.ShouldBe(new ContentHash(2, 2));
        again.Stat.ShouldBe(stat);
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public void An_entry_loaded_from_disk_is_no_reading_of_this_run_until_it_vouches()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf(".cairn/stat-cache.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stat = new FileStat(1, 2, 3, ModifiedNs: 100 * Second, ChangedNs: 101 * Second);
        var saving = StatCache.Load(path, out _);
        saving.Record("/f", stat, new ContentHash(3, 3), 200 * Second);
        saving.SaveIfChanged(nowNs: 300 * Second).ShouldBeTrue();

        var loaded = StatCache.Load(path, out var problem);
        problem.ShouldBeNull();
        loaded.Used("/f").ShouldBeNull();
        loaded.Vouched("/f", stat with { Size = 4 }).ShouldBeNull();
        loaded.Used("/f").ShouldBeNull("a stat that does not match vouches for nothing");
        var vouched = loaded.Vouched("/f", stat).ShouldNotBeNull();
        loaded.Used("/f").ShouldBeSameAs(vouched);
    }

    [Fact]
    public void Cache_is_written_only_when_it_changed_and_reads_back_whole()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf(".cairn/stat-cache.bin");
        var stat = new FileStat(1, 2, 3, 100 * Second, 100 * Second);
        var cache = StatCache.Load(path, out _);
        cache.SaveIfChanged().ShouldBeFalse();
        File.Exists(path).ShouldBeFalse();

        cache.Record("/data/ü ñ.csv", stat, new ContentHash(ulong.MaxValue, 1), 200 * Second);
        cache.SaveIfChanged().ShouldBeTrue();
        cache.SaveIfChanged().ShouldBeFalse();
        var loaded = StatCache.Load(path, out var problem);

        problem.ShouldBeNull();
        loaded.Count.ShouldBe(1);
        loaded.TryGet("/data/ü ñ.csv", stat, out var hash).ShouldBeTrue();
        hash.ShouldBe(new ContentHash(ulong.MaxValue, 1));
        loaded.SaveIfChanged().ShouldBeFalse();
        // No temp file is left; the lock file concurrent runs merge the cache under stays (an empty file).
        Directory.GetFiles(Path.GetDirectoryName(path)!).Order(StringComparer.Ordinal).ShouldBe([path, env.PathOf(".cairn/stat-cache.lock")]);
    }

    [Fact]
    public void Two_runs_that_loaded_the_same_cache_each_keep_what_they_recorded_and_removed_when_they_save_in_turn() =>
        TwoRunsSaveInTurn(writtenLongBefore: false);

    // Written long before the runs load it, the file's stat vouches that no save since went unnoticed: the first save
    // takes the shortcut (nobody replaced the file) and the second must see that the first one did.
    [Fact]
    public void A_run_that_finds_the_cache_file_as_it_loaded_it_saves_its_own_entries_and_the_next_run_still_merges_after_it() =>
        TwoRunsSaveInTurn(writtenLongBefore: true);

    private static void TwoRunsSaveInTurn(bool writtenLongBefore)
    {
        using var env = new TestEnvironment();
        var path = env.PathOf(".cairn/stat-cache.bin");
        var stat = new FileStat(1, 2, 3, 100 * Second, 100 * Second);
        var before = StatCache.Load(path, out _);
        before.Record("/shared.csv", stat, new ContentHash(1, 1), 200 * Second);
        before.Record("/gone.csv", stat, new ContentHash(2, 2), 200 * Second);
        before.SaveIfChanged().ShouldBeTrue();
        if (writtenLongBefore)
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        }

        // Two runs on disjoint cells load it at their start, each records its own files, and they end one after the other.
        var first = StatCache.Load(path, out _);
        var second = StatCache.Load(path, out _);
        first.Record("/january.csv", stat, new ContentHash(3, 3), 300 * Second);
        first.Remove("/gone.csv");
        second.Record("/february.csv", stat, new ContentHash(4, 4), 300 * Second);
        second.TryGet("/shared.csv", stat, out _).ShouldBeTrue();
        first.SaveIfChanged(nowNs: 301 * Second).ShouldBeTrue();
        second.SaveIfChanged(nowNs: 301 * Second).ShouldBeTrue();

        var merged = StatCache.Load(path, out var problem);
        problem.ShouldBeNull();
        merged.TryGet("/january.csv", stat, out var january).ShouldBeTrue("the second run's save kept what the first recorded");
        january.ShouldBe(new ContentHash(3, 3));
        merged.TryGet("/february.csv", stat, out _).ShouldBeTrue();
        merged.TryGet("/shared.csv", stat, out _).ShouldBeTrue();
        merged.TryGet("/gone.csv", stat, out _).ShouldBeFalse("the second run's save did not bring back what the first removed");
        merged.Count.ShouldBe(3);
    }

    [Fact]
    public void The_cache_streamed_to_its_file_is_byte_for_byte_the_format_it_always_had_and_reads_back()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf(".cairn/stat-cache.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var cache = StatCache.Load(path, out _);
        var paths = Enumerable.Range(0, 3000).Select(i => $"/data/date=2012-01-{i:D4}/ü-{i}.csv").ToList();
        foreach (var (file, i) in paths.Select((p, i) => (p, i)))
        {
            cache.Record(file, new FileStat((ulong)i, (ulong)(i * 7), i, 100 * Second, 101 * Second), new ContentHash((ulong)i, ulong.MaxValue - (ulong)i), 200 * Second);
        }

        cache.SaveIfChanged(nowNs: 300 * Second).ShouldBeTrue();

        // What the writer made before it streamed: the body whole in memory, then its XXH3-128 after it.
        var written = File.ReadAllBytes(path);
        StatCache.TryParse(written, out var entries, out var granularity, out var reason).ShouldBeTrue(reason);
        using var expected = new MemoryStream();
        using (var writer = new BinaryWriter(expected, new System.Text.UTF8Encoding(false), leaveOpen: true))
        {
            writer.Write("cairn-stat-cache");
            writer.Write(2);
            writer.Write(ContentHasher.Algorithm);
            writer.Write(granularity!.Ns);
            writer.Write(granularity.Device);
            writer.Write(paths.Count);
            foreach (var file in paths.Order(StringComparer.Ordinal))
            {
                var entry = entries[file];
                writer.Write(file);
                writer.Write(entry.Stat.Device);
                writer.Write(entry.Stat.Inode);
                writer.Write(entry.Stat.Size);
                writer.Write(entry.Stat.ModifiedNs);
                writer.Write(entry.Stat.ChangedNs);
                writer.Write(entry.HashedAtNs);
                writer.Write(entry.Content.High);
                writer.Write(entry.Content.Low);
            }

            var checksum = ContentHasher.HashBytes(expected.GetBuffer().AsSpan(0, (int)expected.Length));
            writer.Write(checksum.High);
            writer.Write(checksum.Low);
        }

        written.ShouldBe(expected.ToArray());
        var loaded = StatCache.Load(path, out var problem);
        problem.ShouldBeNull();
        loaded.Count.ShouldBe(paths.Count);
        loaded.TryGet(paths[1234], new FileStat(1234, 1234 * 7, 1234, 100 * Second, 101 * Second), out var hash).ShouldBeTrue();
        hash.ShouldBe(new ContentHash(1234, ulong.MaxValue - 1234));
    }

    [Fact]
    public void Every_single_flipped_byte_makes_the_cache_unreadable()
    {
        var stat = new FileStat(1, 2, 3, 100 * Second, 100 * Second);
        var bytes = StatCache.Serialize([new("/a", new StatCacheEntry(stat, new ContentHash(5, 6), 200 * Second))], new MeasuredGranularity(1_000_000, 1));
        StatCache.TryParse(bytes, out _, out _, out _).ShouldBeTrue();

        for (var i = 0; i < bytes.Length; i++)
        {
            var copy = bytes.ToArray();
            copy[i] ^= 0x01;
            StatCache.TryParse(copy, out var entries, out _, out var reason).ShouldBeFalse($"byte {i}");
            entries.ShouldBeEmpty();
            reason.ShouldNotBeNullOrEmpty();
        }
    }
}
