using Cairn.Engine.Partitions;

namespace Cairn.Service.Pipelines;

/// <summary>
/// The partitions a queued run takes: every one in the landing zone, or the days in an inclusive range. Two ranges
/// merge into the range that covers both: days between them that did not change are up to date and skipped.
/// </summary>
internal sealed record PartitionRange(DateOnly? From, DateOnly? To)
{
    public static PartitionRange All { get; } = new(null, null);

    public bool IsAll => From is null && To is null;

    public static PartitionRange Day(DateOnly day) => new(day, day);

    public static PartitionRange Of(IEnumerable<DateOnly> days)
    {
        var list = days.ToList();
        return list.Count == 0 ? All : new PartitionRange(list.Min(), list.Max());
    }

    /// <summary>The range covering both; all when either is all.</summary>
    public PartitionRange Union(PartitionRange other) =>
        IsAll || other.IsAll ? All : new PartitionRange(Min(From, other.From), Max(To, other.To));

    /// <summary>True when every partition of the other lies in this one.</summary>
    public bool Covers(PartitionRange other) =>
        IsAll || (!other.IsAll && (From is null || (other.From is { } of && of >= From)) && (To is null || (other.To is { } ot && ot <= To)));

    /// <summary>The run's arguments for it: none, <c>--partition</c>, or <c>--from</c>/<c>--to</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Arguments()
    {
        if (From is { } from && To is { } to && from == to)
        {
            yield return new("partition", PartitionDates.ToKey(from));
            yield break;
        }

        if (From is { } f)
        {
            yield return new("from", PartitionDates.ToKey(f));
        }

        if (To is { } t)
        {
            yield return new("to", PartitionDates.ToKey(t));
        }
    }

    public override string ToString() => IsAll ? "all partitions"
        : From == To ? PartitionDates.ToKey(From!.Value)
        : $"{(From is { } f ? PartitionDates.ToKey(f) : "the start")} to {(To is { } t ? PartitionDates.ToKey(t) : "the end")}";

    private static DateOnly? Min(DateOnly? a, DateOnly? b) => a is null || b is null ? null : a < b ? a : b;

    private static DateOnly? Max(DateOnly? a, DateOnly? b) => a is null || b is null ? null : a > b ? a : b;
}
