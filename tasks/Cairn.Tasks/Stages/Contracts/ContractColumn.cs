using System.Globalization;

namespace Cairn.Stages.Contracts;

/// <summary>One column of a <see cref="DataContract"/>: its name, type and the rules its values must keep.</summary>
public sealed class ContractColumn
{
    /// <summary>The column name, lower case, as IngestCsv writes headers.</summary>
    public required string Name { get; init; }

    /// <summary>The type every non-null value must parse as.</summary>
    public required ContractColumnType Type { get; init; }

    /// <summary>Whether an empty value is allowed. Contracts default to false.</summary>
    public bool Nullable { get; init; }

    /// <summary>Whether the value must equal the partition's date (date columns only; at most one per contract).</summary>
    public bool PartitionKey { get; init; }

    /// <summary>The smallest allowed value (number and integer columns), inclusive.</summary>
    public double? Min { get; init; }

    /// <summary>The largest allowed value (number and integer columns), inclusive.</summary>
    public double? Max { get; init; }

    /// <summary>The allowed values of a category column, in the contract's order.</summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];

    /// <summary>
    /// Checks one value. Returns the reason it breaks the contract, prefixed with the column name, or null when it is fine.
    /// </summary>
    /// <param name="value">The trimmed field value; empty is null.</param>
    /// <param name="partition">The partition's date, or null to skip the partition key check.</param>
    public string? Check(string value, DateOnly? partition)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (ContractValues.IsNull(value))
        {
            return Nullable ? null : $"{Name}: empty, but the contract does not allow nulls";
        }

        return Type switch
        {
            ContractColumnType.Number => ContractValues.TryParseNumber(value, out var number)
                ? CheckRange(value, number)
                : $"{Name}: '{value}' is not a number",
            ContractColumnType.Integer => ContractValues.TryParseInteger(value, out var integer)
                ? CheckRange(value, integer)
                : $"{Name}: '{value}' is not an integer",
            ContractColumnType.Date => ContractValues.TryParseDate(value, out var date)
                ? CheckPartition(date, partition)
                : $"{Name}: '{value}' is not a date ({ContractValues.DateFormat})",
            ContractColumnType.Category => Allowed.Contains(value, StringComparer.Ordinal)
                ? null
                : $"{Name}: '{value}' is not one of {string.Join(", ", Allowed)}",
            _ => null,
        };
    }

    private string? CheckRange(string text, double value)
    {
        if (value < Min)
        {
            return $"{Name}: {text} is below the minimum {ContractValues.FormatNumber(Min.Value)}";
        }

        if (value > Max)
        {
            return $"{Name}: {text} is above the maximum {ContractValues.FormatNumber(Max.Value)}";
        }

        return null;
    }

    private string? CheckPartition(DateOnly date, DateOnly? partition) =>
        PartitionKey && partition is { } expected && date != expected
            ? $"{Name}: {date.ToString(ContractValues.DateFormat, CultureInfo.InvariantCulture)} is outside partition {expected.ToString(ContractValues.DateFormat, CultureInfo.InvariantCulture)}"
            : null;
}
