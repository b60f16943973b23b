using Cairn.Engine.Partitions;

namespace Cairn.Service.Pipelines;

/// <summary>
/// The partitions a queued run takes: every one in the landing zone, or the partition keys of an inclusive range, at
/// the pipeline's grain (<c>2013-05-03T14</c>, <c>2013-05-03</c>, <c>2013-05</c>). The keys are kept as the engine
/// writes them, since the queue stores them as text and the engine reads them back as <c>--from</c>/<c>--to</c>; they
/// are compared through the pipeline's <see cref="PartitionScheme"/>. Two ranges merge into the range that covers
/// both: partitions between them that did not change are up to date and skipped.
/// </summary>
internal sealed record PartitionRange(string? From, string? To)
{
    public static PartitionRange All { get; } = new(null, null);

    public bool IsAll => From is null && To is null;

    public static PartitionRange Key(string key) => new(key, key);

    /// <summary>From the first to the last of the keys; all when there is none or the pipeline has no partitions.</summary>
    public static PartitionRange Of(PartitionScheme scheme, IEnumerable<string> keys)
    {
        var starts = scheme.IsPartitioned ? keys.Select(k => scheme.TryParse(k, out var start) ? start : (DateTime?)null).OfType<DateTime>().ToList() : [];
        return starts.Count == 0 ? All : new PartitionRange(scheme.ToKey(starts.Min()), scheme.ToKey(starts.Max()));
    }

    /// <summary>
    /// The partitions of the grain that hold the time from <paramref name="start"/> up to (not including)
    /// <paramref name="end"/>: a day is 24 hours for an hourly pipeline, a month a month's days for a daily one; all
    /// for a pipeline without partitions.
    /// </summary>
    public static PartitionRange Between(PartitionScheme scheme, DateTime start, DateTime end) =>
        scheme.IsPartitioned ? new PartitionRange(scheme.ToKey(start), scheme.ToKey(end.AddTicks(-1))) : All;

    /// <summary>The range covering both; all when either is all; null when a key is not of the scheme's grain (the pipeline file changed its grain meanwhile).</summary>
    public PartitionRange? Union(PartitionRange other, PartitionScheme scheme)
    {
        if (IsAll || other.IsAll)
        {
            return All;
        }

        if (!Bounds(scheme, out var from, out var to) || !other.Bounds(scheme, out var otherFrom, out var otherTo))
        {
            return null;
        }

        return new PartitionRange(
            from is null || otherFrom is null ? null : scheme.ToKey(from < otherFrom ? from.Value : otherFrom.Value),
            to is null || otherTo is null ? null : scheme.ToKey(to > otherTo ? to.Value : otherTo.Value));
    }

    /// <summary>True when every partition of the other lies in this one.</summary>
    public bool Covers(PartitionRange other, PartitionScheme scheme)
    {
        if (IsAll)
        {
            return true;
        }

        if (other.IsAll || !Bounds(scheme, out var from, out var to) || !other.Bounds(scheme, out var otherFrom, out var otherTo))
        {
            return false;
        }

        return (from is null || (otherFrom is { } of && of >= from)) && (to is null || (otherTo is { } ot && ot <= to));
    }

    /// <summary>
    /// The same time at another pipeline's grain (an <c>after:</c> schedule's run takes its upstream run's partitions):
    /// the hours of a day, the day of an hour, the month of a day; all when either pipeline has no partitions.
    /// </summary>
    public PartitionRange At(PartitionScheme scheme, PartitionScheme other)
    {
        if (IsAll || !other.IsPartitioned || !Bounds(scheme, out var from, out var to))
        {
            return All;
        }

        var start = from is { } f ? other.ToKey(f) : null;
        var end = to is { } t ? other.ToKey(scheme.Add(t, 1).AddTicks(-1)) : null;
        return new PartitionRange(start, end);
    }

    /// <summary>The run's arguments for it: none, <c>--partition</c>, or <c>--from</c>/<c>--to</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Arguments()
    {
        if (From is { } from && To is { } to && from == to)
        {
            yield return new("partition", from);
            yield break;
        }

        if (From is { } f)
        {
            yield return new("from", f);
        }

        if (To is { } t)
        {
            yield return new("to", t);
        }
    }

    public override string ToString() => IsAll ? "all partitions"
        : From == To ? From!
        : $"{From ?? "the start"} to {To ?? "the end"}";

    /// <summary>The starts of the range's ends at the scheme's grain; false when a key is not of that grain.</summary>
    private bool Bounds(PartitionScheme scheme, out DateTime? from, out DateTime? to)
    {
        from = null;
        to = null;
        if (From is { } f)
        {
            if (!scheme.TryParse(f, out var start))
            {
                return false;
            }

            from = start;
        }

        if (To is { } t)
        {
            if (!scheme.TryParse(t, out var end))
            {
                return false;
            }

            to = end;
        }

        return true;
    }
}
