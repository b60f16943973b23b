using Cairn.Engine.Workspace;
using Cairn.Hashing;
using Cairn.Tests.Performance;

namespace Cairn.Tests.Hashing;

/// <summary>
/// A workspace the hand-written XXH3-128 built (old-workspace/) must still be up to date for the current hasher:
/// no stored digest may change when the implementation behind <see cref="ContentHasher"/> does.
/// </summary>
public sealed class OldWorkspaceTests
{
    [Fact]
    public void A_workspace_built_by_the_old_hasher_runs_as_a_no_op_with_every_file_hashed_anew()
    {
        using var h = OldWorkspaceFixture.CreateHarness();
        CopyFolder(OldWorkspaceFixture.Workspace, h.Workspace);
        var checkpoints = Path.Combine(h.Workspace, "checkpoints");
        var checkpointsBefore = Contents(checkpoints);
        using var reads = new ContentReads(h.Env.Root);

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain($"Tail: skipped, all {OldWorkspaceFixture.Days.Count} cells up to date");
        run.Output.ShouldContain("Join: skipped, up to date");
        run.Output.ShouldNotContain(": run");
        run.Output.ShouldNotContain("warning:", Case.Insensitive, "the old stat cache's checksum must still verify");

        // The old stat cache knows none of these paths, so every digest the decisions compared came from this hasher.
        var expected = OldWorkspaceFixture.Days.Select(day => $"raw/date={day}/input.csv")
            .Concat(OldWorkspaceFixture.Days.Select(day => $"ws/data/tail/date={day}/tail.bin"))
            .Append("ws/data/joined.bin")
            .Order(StringComparer.Ordinal);
        reads.Decided.ShouldBe(expected);
        Contents(checkpoints).ShouldBe(checkpointsBefore, "a no-op rewrites no checkpoint");
    }

    [Fact]
    public void The_old_stat_cache_verifies_and_holds_the_digests_of_the_files_it_names()
    {
        using var h = OldWorkspaceFixture.CreateHarness();
        CopyFolder(OldWorkspaceFixture.Workspace, h.Workspace);
        var bytes = File.ReadAllBytes(Path.Combine(h.Workspace, ".cairn", StatCache.FileName));

        StatCache.TryParse(bytes, out var entries, out var granularity, out var reason).ShouldBeTrue(reason);
        granularity.ShouldBeNull("the first format has no measured granularity: it is measured when the cache is next written");

        // Its paths are in the temp folder of the run that made it; from raw/ or ws/ on they name the same files here.
        entries.Count.ShouldBe(2 * OldWorkspaceFixture.Days.Count);
        foreach (var (path, entry) in entries)
        {
            var segments = path.Split(Path.DirectorySeparatorChar);
            var relative = Path.Combine(segments[Array.FindIndex(segments, s => s is "raw" or "ws")..]);
            ContentHasher.HashFile(h.Env.PathOf(relative)).ShouldBe(entry.Content, path);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static Dictionary<string, string> Contents(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllText, StringComparer.Ordinal);
}
