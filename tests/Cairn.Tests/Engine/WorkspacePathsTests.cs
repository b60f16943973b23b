using Cairn.Engine.Workspace;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// What a logical path read from state (a checkpoint's outputs, a cache entry) may name, judged by its text alone; and
/// where the engine makes the folders it writes in: inside the workspace only, once links are followed.
/// </summary>
public sealed class WorkspacePathsTests
{
    [Theory]
    [InlineData("data/features/date=2012-01-01/features.csv", null)]
    [InlineData("reports/all/", null)]
    [InlineData("logsbook/x.csv", null)]
    [InlineData("data/.cairn/x", null)]
    [InlineData("", "an empty path")]
    [InlineData("a\0b", "a path holding a NUL character")]
    [InlineData("/etc/passwd", "/etc/passwd, an absolute path")]
    [InlineData("../outside/precious.txt", "../outside/precious.txt, which has an empty, '.' or '..' part")]
    [InlineData("data/./x", "data/./x, which has an empty, '.' or '..' part")]
    [InlineData("data//x", "data//x, which has an empty, '.' or '..' part")]
    [InlineData("data/x//", "data/x//, which has an empty, '.' or '..' part")]
    [InlineData("data/..", "data/.., which has an empty, '.' or '..' part")]
    [InlineData(".cairn/", ".cairn/, which lies in .cairn/, Cairn's own state")]
    [InlineData("checkpoints/date=2012-01-01/Clean.ok", "checkpoints/date=2012-01-01/Clean.ok, which lies in checkpoints/, Cairn's own state")]
    [InlineData("logs", "logs, which lies in logs/, Cairn's own state")]
    [InlineData("logs/../x", "logs/../x, which has an empty, '.' or '..' part")]
    public void A_logical_path_is_judged_part_by_part(string logical, string? problem)
    {
        WorkspacePaths.LexicalProblem(logical).ShouldBe(problem);
    }

    [Fact]
    public void A_folder_is_made_only_where_its_parent_lies_inside_and_one_made_now_is_said_to_be_new()
    {
        using var env = new TestEnvironment();
        var workspace = env.CreateFolder("ws");
        var outside = env.CreateFolder("outside");
        Directory.CreateSymbolicLink(Path.Combine(workspace, "linked"), outside);
        Directory.CreateSymbolicLink(Path.Combine(workspace, "data-link"), outside);
        var paths = new WorkspacePaths(workspace);
        var day = Path.Combine(workspace, "data/ingested/date=2012-01-01");

        paths.MakeFolder(day, out var made).ShouldBeNull();
        made.ShouldBeTrue("made with the folders above it");
        Directory.Exists(day).ShouldBeTrue();
        paths.MakeFolder(day, out made).ShouldBeNull();
        made.ShouldBeFalse("it was there");
        paths.MakeFolder(Path.Combine(workspace, "linked/date=2012-01-01"), out made)
            .ShouldBe($"{workspace}/linked/date=2012-01-01 is {outside}/date=2012-01-01 once symbolic links are followed, outside the workspace {workspace}");
        paths.MakeFolder(Path.Combine(workspace, "data-link"), out made)
            .ShouldBe($"{workspace}/data-link is {outside} once symbolic links are followed, outside the workspace {workspace}");
        made.ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(outside).ShouldBeEmpty();
    }
}
