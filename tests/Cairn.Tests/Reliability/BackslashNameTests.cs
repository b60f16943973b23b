using Cairn.Tests.Engine;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, smaller ones: on Linux a backslash is part of a file's name. A raw file named <c>we\ather.csv</c> reaches
/// the stage as that file, never as the path MSBuild would make of it (<c>we/ather.csv</c>, which does not exist).
/// </summary>
public sealed class BackslashNameTests
{
    [Fact]
    public void A_raw_file_whose_name_holds_a_backslash_is_read_as_that_file_and_named_as_it_is()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.WriteRaw("2013-05-02", "row of a strange name\n", @"we\ather.csv");

        var run = h.Run().ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile("data/upper/date=2013-05-02/upper.txt")).ShouldBe("ROW OF A STRANGE NAME!\n");
        run.Output.ShouldNotContain("we/ather.csv");
        var checkpoint = File.ReadAllText(h.Checkpoint("Upper", "2013-05-02"));
        checkpoint.ShouldContain(@"we\\ather.csv");
    }
}
