using System.Text.RegularExpressions;

namespace Cairn.Pipelines.Weather;

/// <summary>One dependency of the pipeline DAG, given by the engine as "From->To" (stage names).</summary>
internal sealed partial record DagEdge(string From, string To)
{
    public static bool TryParse(string text, out DagEdge edge)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = EdgePattern().Match(text);
        edge = match.Success ? new DagEdge(match.Groups["from"].Value, match.Groups["to"].Value) : new DagEdge(string.Empty, string.Empty);
        return match.Success;
    }

    // Stage names become mermaid node ids unquoted, so they are held to identifier characters.
    [GeneratedRegex(@"^\s*(?<from>[A-Za-z][A-Za-z0-9_]*)\s*->\s*(?<to>[A-Za-z][A-Za-z0-9_]*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EdgePattern();
}
