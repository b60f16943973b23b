using Cairn.Engine.Workspace;

namespace Cairn.Tests.Engine;

/// <summary>What a logical path read from state (a checkpoint's outputs, a cache entry) may name, judged by its text alone.</summary>
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
}
