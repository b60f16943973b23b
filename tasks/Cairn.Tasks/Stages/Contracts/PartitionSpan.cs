using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cairn.Stages.Contracts;

/// <summary>
/// The days a partition covers, for a contract's <c>partition_key</c> (a date column): an hour's key
/// (<c>YYYY-MM-DDTHH</c>) its day, a day's (<c>YYYY-MM-DD</c>) that day, a month's (<c>YYYY-MM</c>) each of its days.
/// A stage of a pipeline of any grain reads its <c>{partition}</c> parameter with
/// <see cref="Common.ContractedInput.TryParsePartitionKey"/> and checks rows with
/// <see cref="DataContract.CheckRowInPartition"/>.
/// </summary>
public sealed record PartitionSpan
{
    /// <summary>The forms a key may take, as messages list them.</summary>
    public const string Forms = "an hour YYYY-MM-DDTHH, a day YYYY-MM-DD or a month YYYY-MM";

    internal PartitionSpan(string key, DateOnly first, DateOnly last)
    {
        Key = key;
        First = first;
        Last = last;
    }

    /// <summary>The partition's key, as messages name it.</summary>
    public string Key { get; }

    /// <summary>Its first day.</summary>
    public DateOnly First { get; }

    /// <summary>Its last day.</summary>
    public DateOnly Last { get; }

    /// <summary>CAIRN2006's message for text that is no partition key, naming the forms and the fix.</summary>
    internal static string NotAKey(string? key) =>
        $"Partition '{key}' is not a partition key: give {Forms} (bind it to {{partition}} in the pipeline file).";

    /// <summary>The span of one day.</summary>
    public static PartitionSpan Day(DateOnly day) => new(ContractValues.FormatDate(day), day, day);

    /// <summary>True when the date is one of the partition's days.</summary>
    public bool Contains(DateOnly date) => date >= First && date <= Last;

    /// <summary>Reads a partition key of any grain; false for text that is none.</summary>
    public static bool TryParse(string key, [NotNullWhen(true)] out PartitionSpan? span)
    {
        span = null;
        if (key.Length == 13 && key[10] == 'T' && ContractValues.TryParseDate(key.AsSpan(0, 10), out var day)
            && key[11] is >= '0' and <= '9' && key[12] is >= '0' and <= '9' && int.Parse(key.AsSpan(11), CultureInfo.InvariantCulture) < 24)
        {
            span = new PartitionSpan(key, day, day);
        }
        else if (key.Length == 10 && ContractValues.TryParseDate(key, out day))
        {
            span = Day(day);
        }
        else if (key.Length == 7 && key[4] == '-' && ContractValues.TryParseDate(key + "-01", out var first))
        {
            span = new PartitionSpan(key, first, first.AddMonths(1).AddDays(-1));
        }

        return span is not null;
    }
}
