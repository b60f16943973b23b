using System.Text.RegularExpressions;

namespace Cairn.Engine.Exporting;

/// <summary>Quoting for the commands an exported DAG runs in bash.</summary>
internal static partial class Shell
{
    /// <summary>The word as is when the shell reads it so, else in single quotes.</summary>
    public static string Quote(string word) => Plain().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A string literal of Python or of YAML's double-quoted style, which escape alike.</summary>
    public static string DoubleQuoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();
}
