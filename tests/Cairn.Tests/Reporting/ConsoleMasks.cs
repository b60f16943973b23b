using System.Text.RegularExpressions;

namespace Cairn.Tests.Reporting;

/// <summary>What changes from run to run in console text, replaced by placeholders so approved files stay put.</summary>
internal static partial class ConsoleMasks
{
    /// <summary>Run ids as <c>&lt;run&gt;</c>, seconds as <c>#.## s</c>; everything else, layout included, is kept.</summary>
    public static string RunIdsAndSeconds(string text) =>
        Seconds().Replace(RunId().Replace(text.ReplaceLineEndings("\n"), "<run>"), m => new string('#', m.Groups[1].Length) + "." + new string('#', m.Groups[2].Length) + " s");

    [GeneratedRegex(@"\d{8}T\d{6}Z-\d+-[0-9a-f]{4}")]
    private static partial Regex RunId();

    [GeneratedRegex(@"\b(\d+)\.(\d\d) s\b")]
    private static partial Regex Seconds();
}
