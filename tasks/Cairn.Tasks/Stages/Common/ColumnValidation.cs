namespace Cairn.Stages.Common;

/// <summary>One contract column's nulls and violations summed over the partitions <see cref="ValidationSummary"/> reads.</summary>
internal sealed class ColumnValidation(string name, string type)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public long Nulls { get; set; }

    public long Violations { get; set; }
}
