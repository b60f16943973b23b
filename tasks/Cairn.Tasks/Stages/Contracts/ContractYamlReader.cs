using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cairn.Stages.Contracts;

/// <summary>
/// Reads a contract's YAML through YamlDotNet's node model rather than a deserializer, so every error can name
/// the line, column and key (<c>columns[2].min</c>) that is wrong.
/// </summary>
internal static class ContractYamlReader
{
    private static readonly string[] ColumnKeys = ["name", "type", "nullable", "partition_key", "min", "max", "allowed", "optional"];

    private static readonly Dictionary<string, ContractColumnType> Types = new(StringComparer.Ordinal)
    {
        ["date"] = ContractColumnType.Date,
        ["number"] = ContractColumnType.Number,
        ["integer"] = ContractColumnType.Integer,
        ["category"] = ContractColumnType.Category,
        ["string"] = ContractColumnType.String,
        ["boolean"] = ContractColumnType.Boolean,
        ["timestamp"] = ContractColumnType.Timestamp,
    };

    // The ingest adds these itself; a contract column with either name could never be told apart from them.
    private static readonly string[] ReservedNames = ["_source", "_error"];

    /// <param name="path">The contract file, as error messages name it.</param>
    /// <param name="text">Its content.</param>
    public static IReadOnlyList<ContractColumn> ReadColumns(string path, string text) => ReadColumns(path, text, out _);

    /// <summary>As <see cref="ReadColumns(string, string)"/>, giving the columns' nodes too (where each lies in the text).</summary>
    public static IReadOnlyList<ContractColumn> ReadColumns(string path, string text, out YamlSequenceNode nodes)
    {
        var root = LoadRoot(path, text);
        if (root is not YamlMappingNode mapping)
        {
            throw Fail(path, root, "the contract must be a mapping with a 'columns' list. Fix: start the file with 'columns:'");
        }

        YamlSequenceNode? columns = null;
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = KeyOf(path, keyNode);
            if (key != "columns")
            {
                throw Fail(path, keyNode, $"unknown key '{key}'. Valid top-level keys: columns");
            }

            columns = value as YamlSequenceNode ?? throw Fail(path, value, "columns: expected a list of columns ('- name: ...')");
        }

        if (columns is null || columns.Children.Count == 0)
        {
            throw Fail(path, mapping, "columns: the contract declares no columns. Fix: add a 'columns' list with at least one column");
        }

        var result = new List<ContractColumn>();
        for (var i = 0; i < columns.Children.Count; i++)
        {
            result.Add(ReadColumn(path, columns.Children[i], $"columns[{i}]"));
        }

        CheckAcrossColumns(path, columns, result);
        nodes = columns;
        return result;
    }

    private static YamlNode LoadRoot(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ContractException(
                string.Create(CultureInfo.InvariantCulture, $"{path} line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {e.Message}"),
                e);
        }

        return stream.Documents.Count switch
        {
            0 => throw new ContractException($"{path} is empty. Fix: declare the table's columns under 'columns:'"),
            1 => stream.Documents[0].RootNode,
            _ => throw Fail(path, stream.Documents[1].RootNode, "a contract file holds one YAML document, this is a second one"),
        };
    }

    private static ContractColumn ReadColumn(string path, YamlNode node, string at)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Fail(path, node, $"{at}: expected a column mapping ('- name: ...', 'type: ...')");
        }

        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = KeyOf(path, keyNode);
            if (!ColumnKeys.Contains(key, StringComparer.Ordinal))
            {
                throw Fail(path, keyNode, $"{at}: unknown key '{key}'. Valid keys: {string.Join(", ", ColumnKeys)}");
            }

            values[key] = value;
        }

        var name = RequiredScalar(path, mapping, values, at, "name");
        CheckName(path, values["name"], at, name);
        var typeText = RequiredScalar(path, mapping, values, at, "type");
        if (!Types.TryGetValue(typeText, out var type))
        {
            throw Fail(path, values["type"], $"{at}.type: '{typeText}' is not a type. Valid types: {string.Join(", ", Types.Keys)}");
        }

        var column = new ContractColumn
        {
            Name = name,
            Type = type,
            Nullable = Boolean(path, values, at, "nullable"),
            PartitionKey = Boolean(path, values, at, "partition_key"),
            Optional = Boolean(path, values, at, "optional"),
            Min = Number(path, values, at, "min"),
            Max = Number(path, values, at, "max"),
            Allowed = AllowedValues(path, values, at),
        };
        CheckRules(path, values, at, column);
        return column;
    }

    private static void CheckName(string path, YamlNode node, string at, string name)
    {
        if (!string.Equals(name, name.Trim().ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw Fail(path, node, $"{at}.name: '{name}' must be lower case without surrounding spaces, as the ingest writes headers. Fix: write '{name.Trim().ToLowerInvariant()}'");
        }

        if (ReservedNames.Contains(name, StringComparer.Ordinal))
        {
            throw Fail(path, node, $"{at}.name: '{name}' is reserved for the ingest's bookkeeping column. Fix: rename the column");
        }
    }

    private static void CheckRules(string path, Dictionary<string, YamlNode> values, string at, ContractColumn column)
    {
        var numeric = column.Type is ContractColumnType.Number or ContractColumnType.Integer;
        foreach (var key in new[] { "min", "max" })
        {
            if (!numeric && values.TryGetValue(key, out var node) && !IsNull(node))
            {
                throw Fail(path, node, $"{at}.{key}: only number and integer columns take min and max");
            }
        }

        if (column.Min > column.Max)
        {
            throw Fail(
                path,
                values["min"],
                $"{at}: min {ContractValues.FormatNumber(column.Min.Value)} is greater than max {ContractValues.FormatNumber(column.Max!.Value)}");
        }

        if (column.Type == ContractColumnType.Category && column.Allowed.Count == 0)
        {
            throw Fail(
                path,
                values.GetValueOrDefault("allowed") ?? values["type"],
                $"{at}.allowed: a category column needs a non-empty 'allowed' list. Fix: add 'allowed: [value1, value2]'");
        }

        if (column.Type != ContractColumnType.Category && values.TryGetValue("allowed", out var allowed) && !IsNull(allowed))
        {
            throw Fail(path, allowed, $"{at}.allowed: only category columns take an 'allowed' list");
        }

        if (column.PartitionKey && column.Type != ContractColumnType.Date)
        {
            throw Fail(path, values["partition_key"], $"{at}.partition_key: only a date column can be the partition key");
        }
    }

    private static void CheckAcrossColumns(string path, YamlSequenceNode nodes, List<ContractColumn> columns)
    {
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        int? partitionKey = null;
        for (var i = 0; i < columns.Count; i++)
        {
            if (!firstIndex.TryAdd(columns[i].Name, i))
            {
                throw Fail(path, nodes.Children[i], $"columns[{i}].name: '{columns[i].Name}' is declared twice (also columns[{firstIndex[columns[i].Name]}])");
            }

            if (columns[i].PartitionKey)
            {
                if (partitionKey is { } first)
                {
                    throw Fail(path, nodes.Children[i], $"columns[{i}].partition_key: columns[{first}] is already the partition key; a contract has at most one");
                }

                partitionKey = i;
            }
        }
    }

    private static string KeyOf(string path, YamlNode key) =>
        key is YamlScalarNode { Value: { } text }
            ? text
            : throw Fail(path, key, "keys must be plain names such as 'name' or 'type'");

    private static string RequiredScalar(string path, YamlMappingNode column, Dictionary<string, YamlNode> values, string at, string key)
    {
        if (!values.TryGetValue(key, out var node) || IsNull(node))
        {
            throw Fail(path, column, $"{at}: '{key}' is required");
        }

        return Scalar(path, node, at, key);
    }

    private static string Scalar(string path, YamlNode node, string at, string key) =>
        node is YamlScalarNode { Value: { } text }
            ? text
            : throw Fail(path, node, $"{at}.{key}: expected a single value, not a list or mapping");

    private static bool Boolean(string path, Dictionary<string, YamlNode> values, string at, string key)
    {
        if (!values.TryGetValue(key, out var node) || IsNull(node))
        {
            return false;
        }

        return Scalar(path, node, at, key).ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            var other => throw Fail(path, node, $"{at}.{key}: '{other}' is not true or false"),
        };
    }

    private static double? Number(string path, Dictionary<string, YamlNode> values, string at, string key)
    {
        if (!values.TryGetValue(key, out var node) || IsNull(node))
        {
            return null;
        }

        var text = Scalar(path, node, at, key);
        return ContractValues.TryParseNumber(text, out var number)
            ? number
            : throw Fail(path, node, $"{at}.{key}: '{text}' is not a number. Fix: write a plain number such as 0 or -20.5");
    }

    private static string[] AllowedValues(string path, Dictionary<string, YamlNode> values, string at)
    {
        if (!values.TryGetValue("allowed", out var node) || IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw Fail(path, node, $"{at}.allowed: expected a list such as [drizzle, rain]");
        }

        var allowed = new List<string>();
        foreach (var item in list.Children)
        {
            var value = Scalar(path, item, at, "allowed");
            if (value.Length == 0 || allowed.Contains(value, StringComparer.Ordinal))
            {
                throw Fail(path, item, $"{at}.allowed: '{value}' is empty or listed twice");
            }

            allowed.Add(value);
        }

        return [.. allowed];
    }

    // YAML's null is '~', 'null' or nothing at all after the colon; a quoted "null" is text.
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static ContractException Fail(string path, YamlNode node, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{path} line {node.Start.Line}, column {node.Start.Column}: {problem}."));
}
