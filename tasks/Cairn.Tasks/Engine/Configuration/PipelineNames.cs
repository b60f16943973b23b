using System.Text.RegularExpressions;

namespace Cairn.Engine.Configuration;

/// <summary>
/// What a pipeline or stage name may be: a name that is also a folder, a workspace, a target, a C# namespace part and
/// a word in the DAG's edges without quoting anywhere.
/// </summary>
internal static partial class PipelineNames
{
    public const string Rule = "letters, digits and _, starting with a letter";

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
