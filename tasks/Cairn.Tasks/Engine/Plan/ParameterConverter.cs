using System.Globalization;
using System.Text.Json;
using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>Turns a configured parameter into the property's type and into its canonical, culture-invariant text.</summary>
internal static class ParameterConverter
{
    public const string DagPlaceholder = "{dag}";

    /// <summary>The run so far, one <c>Stage=state</c> per stage (what the run did so far); never fingerprinted.</summary>
    public const string RunPlaceholder = "{run}";

    /// <summary>The parameters set on the command line for this run, one <c>Stage.Parameter=value</c> each, in name order; fingerprinted.</summary>
    public const string OverridesPlaceholder = "{overrides}";

    /// <summary>The approvals the stage's upstream gates were passed by, one JSON object each; fingerprinted.</summary>
    public const string ApprovalsPlaceholder = "{approvals}";

    /// <summary>
    /// The run's selection of partitions (<see cref="Stages.PartitionSelection.Text"/>: empty for every one, a key, or
    /// <c>FROM..TO</c>), for a stage that fans out; fingerprinted.
    /// </summary>
    public const string SelectionPlaceholder = "{selection}";

    /// <summary>The contract version the stage is built with (<see cref="ContractVersions"/>); fingerprinted.</summary>
    public const string ContractPlaceholder = "{contract}";

    public static (object Value, string Canonical) Convert(ParameterValue value, Type type, string? partition, IReadOnlyList<string> dagEdges, string stage, string property)
    {
        if (value.Scalar == RunPlaceholder && type != typeof(string[]))
        {
            throw new CairnConfigurationException($"{value.Source}: stage '{stage}' parameter '{property}' is {RunPlaceholder}, a list of stage states, so the property must be string[], not {type.Name}.");
        }

        if (value.Scalar == OverridesPlaceholder && type != typeof(string[]))
        {
            throw new CairnConfigurationException($"{value.Source}: stage '{stage}' parameter '{property}' is {OverridesPlaceholder}, a list of Stage.Parameter=value, so the property must be string[], not {type.Name}.");
        }

        if (value.Scalar == ApprovalsPlaceholder && type != typeof(string[]))
        {
            throw new CairnConfigurationException($"{value.Source}: stage '{stage}' parameter '{property}' is {ApprovalsPlaceholder}, a list of approvals (one JSON object each), so the property must be string[], not {type.Name}.");
        }

        if (value.Scalar == SelectionPlaceholder && type != typeof(string))
        {
            throw new CairnConfigurationException($"{value.Source}: stage '{stage}' parameter '{property}' is {SelectionPlaceholder}, the run's selection of partitions as text (a key, or FROM..TO), so the property must be string, not {type.Name}.");
        }

        if (type == typeof(string[]))
        {
            var list = value.List is { } items ? FillAll([.. items], partition)
                : value.Scalar == DagPlaceholder ? dagEdges.ToArray()
                : FillAll(value.Scalar!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), partition);
            return (list, JsonSerializer.Serialize(list));
        }

        if (value.Scalar is null)
        {
            throw Problem(value, stage, property, type, "a list");
        }

        var text = Fill(value.Scalar, partition);
        if (type == typeof(string))
        {
            return (text, text);
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var b) ? (b, b ? "true" : "false") : throw Problem(value, stage, property, type, text);
        }

        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? (i, i.ToString(CultureInfo.InvariantCulture)) : throw Problem(value, stage, property, type, text);
        }

        if (type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? (l, l.ToString(CultureInfo.InvariantCulture)) : throw Problem(value, stage, property, type, text);
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? (d, d.ToString("R", CultureInfo.InvariantCulture))
                : throw Problem(value, stage, property, type, text);
        }

        throw new CairnConfigurationException($"{value.Source}: stage '{stage}' parameter '{property}' has type {type.Name}, which Cairn cannot set.");
    }

    // Static, not a lambda over the partition: a closure would be made on every call, once per cell of a no-op run.
    // A value that is the placeholder alone is the partition's own string: a run keeps a cell's parameters while its
    // stage runs, and a copy of the partition for each of 40,000 cells is 1.7 MB.
    private static string Fill(string text, string? partition) =>
        partition is null ? text
        : text is PathTemplate.DatePlaceholder or PathTemplate.PartitionPlaceholder ? partition
        : text.Replace(PathTemplate.DatePlaceholder, partition, StringComparison.Ordinal).Replace(PathTemplate.PartitionPlaceholder, partition, StringComparison.Ordinal);

    private static string[] FillAll(string[] texts, string? partition)
    {
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = Fill(texts[i], partition);
        }

        return texts;
    }

    private static CairnConfigurationException Problem(ParameterValue value, string stage, string property, Type type, string text) =>
        new($"{value.Source}: stage '{stage}' parameter '{property}' expects {Describe(type)}, not '{text}'.");

    /// <summary>What a value of the type looks like, for messages: <c>a whole number</c>.</summary>
    public static string Describe(Type type) =>
        type == typeof(bool) ? "true or false"
        : type == typeof(int) ? "a whole number from -2147483648 to 2147483647"
        : type == typeof(long) ? "a whole number from -9223372036854775808 to 9223372036854775807"
        : type == typeof(double) ? "a number (e.g. 0.25 or 1e-8)"
        : type.Name;

    /// <summary>The type as C# names it: <c>double</c>, <c>int</c>, <c>string[]</c>.</summary>
    public static string Keyword(Type type) =>
        type == typeof(bool) ? "bool"
        : type == typeof(int) ? "int"
        : type == typeof(long) ? "long"
        : type == typeof(double) ? "double"
        : type == typeof(string) ? "string"
        : type == typeof(string[]) ? "string[]"
        : type.Name;
}
