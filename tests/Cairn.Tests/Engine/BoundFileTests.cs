using Cairn.Engine.Plan;
using Cairn.Engine.Scan;

namespace Cairn.Tests.Engine;

/// <summary>A bound file whose logical path is its root's prefix and the tail of its full path, made only when asked for.</summary>
public sealed class BoundFileTests
{
    [Theory]
    [InlineData("date=2013-05-01/part.csv")]
    [InlineData("date=2013-05-01/a\\b\nc.csv")]
    public void A_logical_path_held_as_the_tail_of_the_full_path_reads_compares_and_fingerprints_as_one_held_whole(string relative)
    {
        var full = "/root/raw/" + relative;
        var whole = new BoundFile("Sources", "$raw/" + relative, full);
        var tail = BoundFile.WithLogicalTail("Sources", "$raw/", full, "/root/raw/".Length);

        tail.LogicalPath.ShouldBe(whole.LogicalPath);
        tail.ShouldBe(whole);
        whole.ShouldBe(tail);
        tail.GetHashCode().ShouldBe(whole.GetHashCode());
        BoundFile.WithLogicalTail("Sources", "$raw/", full, "/root/".Length).ShouldNotBe(whole, "another tail is another logical path");
        Fingerprint.Compute(Cell(tail), "Task", "v1", ["0123"]).ShouldBe(Fingerprint.Compute(Cell(whole), "Task", "v1", ["0123"]));
    }

    private static CellBinding Cell(BoundFile input) =>
        new("Stage", "2013-05-01", [input], [input], new Dictionary<string, object>(), new Dictionary<string, string>());
}
