using Cairn.Engine.Scan;
using Cairn.Engine.Plan;
using System.Text;
using Cairn.Engine.Runs;

namespace Cairn.Engine.Inspecting;

/// <summary>
/// What <c>--target=Help</c> prints: the targets with their descriptions and every argument, from the same
/// <see cref="RunArguments.Definitions"/> the parser reads, so help and parser cannot disagree.
/// </summary>
internal static class HelpText
{
    private const int Width = 100;

    public static void Write(IReadOnlyList<KeyValuePair<string, string>> targets, TextWriter output)
    {
        output.WriteLine("Usage: ./build.sh [--target=NAME] [--name=value ...]   (Windows: ./build.ps1, the same arguments)");
        output.WriteLine();
        output.WriteLine("Targets:");
        var targetWidth = targets.Max(t => t.Key.Length);
        foreach (var (name, description) in targets)
        {
            Wrap(output, "  " + name.PadRight(targetWidth + 2), description);
        }

        output.WriteLine();
        output.WriteLine("Arguments (--name=value; all are checked together before any stage runs):");
        var usageWidth = RunArguments.Definitions.Max(d => d.Usage.Length);
        foreach (var definition in RunArguments.Definitions)
        {
            Wrap(output, "  " + definition.Usage.PadRight(usageWidth + 2), definition.PlainMeaning);
        }

        output.WriteLine();
        Wrap(output, string.Empty, "Cake's own switches work too: --tree, --description, --dryrun, --exclusive, --verbosity=quiet|minimal|normal|verbose|diagnostic (from normal up, Cake's banner for each task shows too).");
        Wrap(output, string.Empty, "Exit codes: 0 success; 1 a stage failed, or Status --check found a stale cell; 2 a usage error; 3 cells held for approval of schema drift; 130 interrupted (Ctrl+C); 143 terminated (SIGTERM).");
    }

    /// <summary>The README's argument table, in Markdown, from the same definitions.</summary>
    public static string MarkdownTable()
    {
        var text = new StringBuilder();
        text.Append("| argument | meaning |\n| --- | --- |\n");
        foreach (var definition in RunArguments.Definitions)
        {
            text.Append("| `").Append(definition.Usage.Replace("|", "\\|", StringComparison.Ordinal)).Append("` | ")
                .Append(definition.Meaning.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Writes the text after the lead, wrapped at word boundaries to <see cref="Width"/> columns, later lines indented under the first.</summary>
    private static void Wrap(TextWriter output, string lead, string text)
    {
        var line = new StringBuilder(lead);
        var indent = new string(' ', lead.Length);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                output.WriteLine(line.ToString());
                line.Clear().Append(indent);
                empty = true;
            }

            line.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        output.WriteLine(line.ToString());
    }
}
