namespace Cairn.Stages.Contracts;

/// <summary>One column of a <see cref="DataContract"/>: its name, type and the rules its values must keep.</summary>
public sealed class ContractColumn
{
    private string[] _allowed = [];

    /// <summary>The column name, lower case, as the ingest writes headers.</summary>
    public required string Name { get; init; }

    /// <summary>The type every non-null value must have.</summary>
    public required ContractColumnType Type { get; init; }

    /// <summary>Whether an empty value is allowed. Contracts default to false.</summary>
    public bool Nullable { get; init; }

    /// <summary>
    /// Whether a table may lack the column (<c>optional: true</c>), as a column accepted from schema drift is absent from
    /// the partitions before it appeared. When present, its values keep the rules. Contracts default to false.
    /// </summary>
    public bool Optional { get; init; }

    /// <summary>Whether the value must equal the partition's date (date columns only; at most one per contract).</summary>
    public bool PartitionKey { get; init; }

    /// <summary>The smallest allowed value (number and integer columns), inclusive.</summary>
    public double? Min { get; init; }

    /// <summary>The largest allowed value (number and integer columns), inclusive.</summary>
    public double? Max { get; init; }

    /// <summary>The allowed values of a category column, in the contract's order.</summary>
    public IReadOnlyList<string> Allowed
    {
        get => _allowed;
        init => _allowed = [.. value];
    }

    /// <summary>
    /// Checks one value. Returns the reason it breaks the contract, prefixed with the column name, or null when it is fine.
    /// </summary>
    /// <param name="value">The trimmed field value; empty is null.</param>
    /// <param name="partition">The partition's date, or null to skip the partition key check.</param>
    public string? Check(string value, DateOnly? partition)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Check(value.AsSpan(), partition is { } day ? PartitionSpan.Day(day) : null);
    }

    /// <summary>Checks one value against a partition of any grain (<see cref="PartitionSpan"/>); see <see cref="Check(string, DateOnly?)"/>.</summary>
    internal string? Check(ReadOnlySpan<char> value, PartitionSpan? partition)
    {
        if (value.IsEmpty)
        {
            return NullReason();
        }

        return Type switch
        {
            ContractColumnType.Number => ContractValues.TryParseNumber(value, out var number)
                ? RangeReason(value, number)
                : $"{Name}: '{value}' is not a number",
            ContractColumnType.Integer => ContractValues.TryParseInteger(value, out var integer)
                ? RangeReason(value, integer)
                : $"{Name}: '{value}' is not an integer",
            ContractColumnType.Date => ContractValues.TryParseDate(value, out var date)
                ? PartitionReason(date, partition)
                : $"{Name}: '{value}' is not a date ({ContractValues.DateFormat})",
            ContractColumnType.Category => IsAllowed(value)
                ? null
                : $"{Name}: '{value}' is not one of {string.Join(", ", _allowed)}",
            ContractColumnType.Boolean => ContractValues.TryParseBoolean(value, out _)
                ? null
                : $"{Name}: '{value}' is not a boolean (true or false)",
            ContractColumnType.Timestamp => ContractValues.TryParseTimestamp(value, out _)
                ? null
                : $"{Name}: '{value}' is not a timestamp (yyyy-MM-ddTHH:mm:ss)",
            _ => null,
        };
    }

    /// <summary>The reason for a null value, or null when the column allows nulls.</summary>
    internal string? NullReason() => Nullable ? null : $"{Name}: empty, but the contract does not allow nulls";

    /// <summary>Whether a number keeps <see cref="Min"/> and <see cref="Max"/>.</summary>
    internal bool InRange(double value) => !(value < Min) && !(value > Max);

    /// <summary>Why a number written <paramref name="text"/> breaks <see cref="Min"/> or <see cref="Max"/>, or null when it does not.</summary>
    internal string? RangeReason(ReadOnlySpan<char> text, double value)
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

    /// <summary>Whether a category value is one of <see cref="Allowed"/> (ordinal).</summary>
    internal bool IsAllowed(ReadOnlySpan<char> value)
    {
        foreach (var allowed in _allowed)
        {
            if (value.SequenceEqual(allowed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a date keeps the partition key rule (always true when this is not the partition key or there is no partition).</summary>
    internal bool InPartition(DateOnly date, PartitionSpan? partition) => !PartitionKey || partition is null || partition.Contains(date);

    /// <summary>Why a date breaks the partition key rule, or null when it does not.</summary>
    internal string? PartitionReason(DateOnly date, PartitionSpan? partition) =>
        InPartition(date, partition)
            ? null
            : $"{Name}: {ContractValues.FormatDate(date)} is outside partition {partition!.Key}";
}
