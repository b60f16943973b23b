using Cairn.Tests.Support;

namespace Cairn.Tests.Reporting;

/// <summary>
/// Approval-style comparison with a file in the repository: on a mismatch the text written is left beside it as
/// <c>*.actual.txt</c> to review and copy over.
/// </summary>
internal static class Approved
{
    public static void ShouldMatch(string actual, string approvedInRepository)
    {
        var expectedPath = Repository.PathOf(approvedInRepository);
        var actualPath = expectedPath.Replace(".expected.", ".actual.", StringComparison.Ordinal);
        // A checkout may turn the approved file's line ends into CRLF; the text compared is always LF.
        if (!File.Exists(expectedPath) || File.ReadAllText(expectedPath).ReplaceLineEndings("\n") != actual)
        {
            File.WriteAllText(actualPath, actual);
            Assert.Fail($"the text differs from {approvedInRepository}; it is in {actualPath}: review it and copy it over the approved file if it is right");
        }
    }
}
