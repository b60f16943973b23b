using Cairn.Engine.Workspace;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Performance;

/// <summary>The stat cache through real runs: which files a run reads to decide, counted through the engine's read seam.</summary>
public sealed class StatCacheRunTests
{
    private static readonly string[] Days = ["2013-05-01", "2013-05-02", "2013-05-03"];

    [Fact]
    public void No_op_run_reads_no_file_content_once_files_are_older_than_the_racy_window()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.FileClock = new ClockAhead(TimeSpan.FromSeconds(2.2));
        using var reads = new ContentReads(h.Env.Root);
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();
        reads.Clear();

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        run.Output.ShouldContain("Concat: skipped, up to date");
        reads.Count.ShouldBe(0);
    }

    [Fact]
    public void Inputs_older_than_the_racy_window_are_not_read_again_after_their_cell_ran()
    {
        using var h = EngineHarness.TwoStages(Days);
        using var reads = new ContentReads(h.Env.Root);
        h.FileClock = new ClockAhead(TimeSpan.FromSeconds(2.2));

        h.Run().ShouldSucceed();

        reads.Decided.ShouldContain("raw/date=2013-05-01/part.csv");
        reads.Rechecked.Where(p => p.StartsWith("raw/", StringComparison.Ordinal)).ShouldBeEmpty("their stat vouches that they did not change while the cells ran");
        reads.Rechecked.ShouldBeEmpty("what this run wrote (Concat's inputs) was hashed after its stage wrote it, with the stat it still has");
    }

    [Fact]
    public void Files_whose_stat_changed_are_read_again_and_cached()
    {
        using var h = EngineHarness.TwoStages(Days);
        using var reads = new ContentReads(h.Env.Root);
        StatCacheFile.Warm(h);
        FileAges.Backdate(h.Env.Root, TimeSpan.FromHours(1));
        reads.Clear();

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldNotContain(": run");
        reads.Decided.ShouldBe(
        [
            "raw/date=2013-05-01/part.csv", "raw/date=2013-05-02/part.csv", "raw/date=2013-05-03/part.csv",
            "ws/data/all.txt",
            "ws/data/upper/date=2013-05-01/upper.txt", "ws/data/upper/date=2013-05-02/upper.txt", "ws/data/upper/date=2013-05-03/upper.txt",
        ]);
    }

    [Fact]
    public void A_file_whose_mtime_is_not_older_than_its_reading_is_read_again_though_its_stat_matches()
    {
        using var h = EngineHarness.TwoStages(Days);
        var raw = Path.Combine(h.Raw, "date=2013-05-02", "part.csv");
        File.SetLastWriteTimeUtc(raw, DateTime.UtcNow.AddMinutes(1));
        using var reads = new ContentReads(h.Env.Root);
        h.Run().ShouldSucceed();
        reads.Clear();

        h.Run().ShouldSucceed().Output.ShouldNotContain(": run");

        reads.Decided.ShouldContain("raw/date=2013-05-02/part.csv");
    }

    [Fact]
    public void Touching_a_file_without_changing_it_rehashes_only_that_file_and_still_skips()
    {
        using var h = EngineHarness.TwoStages(Days);
        using var reads = new ContentReads(h.Env.Root);
        StatCacheFile.Warm(h);
        File.SetLastWriteTimeUtc(Path.Combine(h.Raw, "date=2013-05-02", "part.csv"), DateTime.UtcNow.AddMinutes(-30));
        reads.Clear();

        var touched = h.Run().ShouldSucceed();
        var touchedReads = reads.Decided;
        StatCacheFile.Age(h.Workspace, 3);
        reads.Clear();
        var after = h.Run().ShouldSucceed();

        touched.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        touched.Output.ShouldContain("Concat: skipped, up to date");
        touchedReads.ShouldBe(["raw/date=2013-05-02/part.csv"]);
        after.Output.ShouldNotContain(": run");
        reads.Count.ShouldBe(0);
    }

    [Fact]
    public void Same_size_same_stat_change_within_the_racy_window_is_detected()
    {
        using var h = EngineHarness.TwoStages(Days);
        StatCacheFile.Warm(h);
        var raw = Path.Combine(h.Raw, "date=2013-05-02", "part.csv");
        var before = StatCacheFile.Read(h.Workspace)[raw].Content;
        File.WriteAllText(raw, "ROW OF 2013-05-02\n");

        // The cache now claims the old content for the file's current stat, read within the measured granularity of its
        // mtime: what it would hold had the change landed in the same timestamp tick as the reading.
        StatCacheFile.Read(h.Workspace, out var granularity);
        FileStats.Read(raw, out var stat);
        StatCacheFile.Claim(h.Workspace, raw, before, stat.ModifiedNs + granularity.Ns);
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-02: run, input changed: $raw/date=2013-05-02/part.csv");
        File.ReadAllText(h.WorkspaceFile("data/upper/date=2013-05-02/upper.txt")).ShouldBe("ROW OF 2013-05-02!\n");
    }

    [Fact]
    public void Outside_the_racy_window_a_matching_stat_vouches_for_the_content_without_reading_it()
    {
        // The other side of the rule above, and the cache's whole trust model (git's): a matching stat whose
        // timestamps are safely older than the reading is believed. This claim is false on purpose.
        using var h = EngineHarness.TwoStages(Days);
        StatCacheFile.Warm(h);
        var raw = Path.Combine(h.Raw, "date=2013-05-02", "part.csv");
        var before = StatCacheFile.Read(h.Workspace)[raw].Content;
        File.WriteAllText(raw, "ROW OF 2013-05-02\n");
        FileStats.Read(raw, out var stat);
        StatCacheFile.Claim(h.Workspace, raw, before, Math.Max(stat.ModifiedNs, stat.ChangedNs) + StatCache.RacyMarginNs + 1);
        using var reads = new ContentReads(h.Env.Root);

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        reads.Count.ShouldBe(0);
    }

    [Theory]
    [InlineData("flipped byte", "its checksum does not match its content")]
    [InlineData("truncated", "its checksum does not match its content")]
    [InlineData("empty", "it is 0 bytes long, too short to be a cache")]
    public void Corrupt_cache_is_rebuilt_with_a_warning_and_never_skips_wrongly(string corruption, string reason)
    {
        using var h = EngineHarness.TwoStages(Days);
        using var reads = new ContentReads(h.Env.Root);
        StatCacheFile.Warm(h);
        var raw = Path.Combine(h.Raw, "date=2013-05-02", "part.csv");
        var before = StatCacheFile.Read(h.Workspace)[raw].Content;
        File.WriteAllText(raw, "ROW OF 2013-05-02\n");
        FileStats.Read(raw, out var stat);
        StatCacheFile.Claim(h.Workspace, raw, before, Math.Max(stat.ModifiedNs, stat.ChangedNs) + StatCache.RacyMarginNs + 1);
        var cache = StatCacheFile.PathIn(h.Workspace);
        var bytes = File.ReadAllBytes(cache);
        File.WriteAllBytes(cache, corruption switch
        {
            "flipped byte" => Flip(bytes, bytes.Length / 2),
            "truncated" => bytes[..(bytes.Length - 7)],
            _ => [],
        });
        reads.Clear();

        var run = h.Run().ShouldSucceed();

        run.Lines.ShouldContain($"warning: the stat cache {cache} is unreadable ({reason}); it is rebuilt and every file is hashed this run");
        run.Output.ShouldContain("Upper date=2013-05-02: run, input changed: $raw/date=2013-05-02/part.csv");
        run.Output.ShouldContain("Upper: 2 cells up to date, skipped");
        reads.Decided.ShouldContain("raw/date=2013-05-01/part.csv");
        reads.Decided.ShouldContain("raw/date=2013-05-03/part.csv");
        h.Run().ShouldSucceed().Output.ShouldNotContain("warning");
    }

    [Fact]
    public void One_new_file_among_thousands_is_the_only_file_read_to_decide()
    {
        using var h = EngineHarness.TwoStages();
        for (var i = 0; i < 2000; i++)
        {
            h.WriteRaw("2013-05-01", $"row {i}\n", $"part-{i:0000}.csv");
        }

        using var reads = new ContentReads(h.Env.Root);
        StatCacheFile.Warm(h);
        h.WriteRaw("2013-05-01", "row new\n", "part-new.csv");
        reads.Clear();

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-01: run, input added: $raw/date=2013-05-01/part-new.csv");
        reads.Decided.Count.ShouldBe(1, $"read to decide: {string.Join(", ", reads.Decided.Take(5))}, …");
        reads.Decided.ShouldBe(["raw/date=2013-05-01/part-new.csv"]);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x5A;
        return copy;
    }
}
