using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Cairn.Stages.Contracts;

/// <summary>
/// The contract a table drifted to (schema drift): the contract's own text with the change written in, so that a
/// person who accepts the drift gets a file that keeps its comments and order. A new column is appended as
/// <c>optional: true</c> and <c>nullable: true</c> (the partitions before it lack it); a missing column is marked
/// <c>optional: true</c>; a renamed one is both; a column of another type gets that type. Each change is also told in
/// a sentence (<c>new column 'humidity' (number)</c>) for the review.
/// </summary>
internal static class ContractAmendment
{
    /// <param name="path">The contract file, as messages name it.</param>
    /// <param name="text">Its text now.</param>
    /// <param name="problems">How the table's header differs from it.</param>
    /// <param name="types">For each column the table has and the contract does not, the contract type its values fit.</param>
    /// <param name="retyped">Each contract column whose values the table holds as another type, and that type.</param>
    /// <returns>The amended text and the changes, or null when the text cannot be amended in place (a flow-style list, a rule the new type does not take).</returns>
    public static (string Text, IReadOnlyList<string> Changes)? Propose(
        string path,
        string text,
        IReadOnlyList<HeaderProblem> problems,
        IReadOnlyDictionary<string, string> types,
        IReadOnlyList<(string Column, string Type)> retyped)
    {
        ContractYamlReader.ReadColumns(path, text, out var nodes);
        var items = nodes.Children.OfType<YamlMappingNode>().ToList();
        if (nodes.Style == YamlDotNet.Core.Events.SequenceStyle.Flow || items.Count != nodes.Children.Count || items.Any(i => i.Style == YamlDotNet.Core.Events.MappingStyle.Flow))
        {
            return null;
        }

        var edits = new List<(int At, int Remove, string Insert)>();
        var changes = new List<string>();
        var appended = new StringBuilder();
        var keyIndent = (int)items[0].Start.Column - 1;
        var dashIndent = LeadingSpaces(text, (int)items[0].Start.Index);
        foreach (var problem in problems)
        {
            switch (problem.Kind)
            {
                case HeaderProblemKind.Extra:
                    changes.Add($"new column '{problem.Actual}' ({types[problem.Actual!]})");
                    Append(appended, dashIndent, keyIndent, problem.Actual!, types[problem.Actual!]);
                    break;
                case HeaderProblemKind.Missing:
                    changes.Add($"missing column '{problem.Expected}'");
                    edits.Add(MarkOptional(text, Item(items, problem.Expected!), keyIndent));
                    break;
                default:
                    changes.Add($"column '{problem.Expected}' renamed to '{problem.Actual}' ({types[problem.Actual!]})");
                    edits.Add(MarkOptional(text, Item(items, problem.Expected!), keyIndent));
                    Append(appended, dashIndent, keyIndent, problem.Actual!, types[problem.Actual!]);
                    break;
            }
        }

        foreach (var (column, type) in retyped)
        {
            var item = Item(items, column);
            var node = item.Children[new YamlScalarNode("type")];
            changes.Add($"column '{column}' type changed: {((YamlScalarNode)node).Value} → {type}");
            edits.Add(((int)node.Start.Index, (int)(node.End.Index - node.Start.Index), type));
        }

        var amended = new StringBuilder(text);
        foreach (var (at, remove, insert) in edits.OrderByDescending(e => e.At))
        {
            amended.Remove(at, remove).Insert(at, insert);
        }

        if (appended.Length > 0)
        {
            if (amended.Length > 0 && amended[^1] != '\n')
            {
                amended.Append('\n');
            }

            amended.Append(appended);
        }

        var result = amended.ToString();
        try
        {
            // What a person approves must be a contract: one the reader refuses is not proposed.
            ContractYamlReader.ReadColumns(path, result);
        }
        catch (ContractException)
        {
            return null;
        }

        return (result, changes);
    }

    private static YamlMappingNode Item(List<YamlMappingNode> items, string name) =>
        items.First(i => i.Children.TryGetValue(new YamlScalarNode("name"), out var n) && ((YamlScalarNode)n).Value == name);

    /// <summary>An <c>optional: true</c> line after the column's <c>name:</c> line (a scalar, so its line ends there).</summary>
    private static (int At, int Remove, string Insert) MarkOptional(string text, YamlMappingNode item, int keyIndent)
    {
        var name = item.Children[new YamlScalarNode("name")];
        var end = text.IndexOf('\n', (int)name.End.Index);
        return end < 0
            ? (text.Length, 0, "\n" + new string(' ', keyIndent) + "optional: true")
            : (end + 1, 0, new string(' ', keyIndent) + "optional: true\n");
    }

    private static void Append(StringBuilder appended, int dashIndent, int keyIndent, string name, string type)
    {
        var keys = new string(' ', keyIndent);
        appended.Append(new string(' ', dashIndent)).Append("- ").Append(new string(' ', Math.Max(0, keyIndent - dashIndent - 2))).Append("name: ").Append(name).Append('\n');
        appended.Append(keys).Append("type: ").Append(type).Append('\n');
        appended.Append(keys).Append("nullable: true\n");
        appended.Append(keys).Append(CultureInfo.InvariantCulture, $"optional: true        # accepted schema drift: absent before it appeared\n");
    }

    private static int LeadingSpaces(string text, int index)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var spaces = 0;
        while (start + spaces < text.Length && text[start + spaces] == ' ')
        {
            spaces++;
        }

        return spaces;
    }
}
