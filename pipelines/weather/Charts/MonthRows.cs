using System.Text.RegularExpressions;

namespace Cairn.Pipelines.Weather.Charts;

/// <summary>One bar of the rows chart: a month's rows, split into those kept and those quarantined.</summary>
internal sealed partial record MonthRows(string Month, long Kept, long Quarantined)
{
    /// <summary>
    /// Sums partitions by the month of the <c>date=YYYY-MM-DD</c> in their name (a partition without one is its own
    /// bar), in order.
    /// </summary>
    public static IReadOnlyList<MonthRows> Group(IEnumerable<(string Partition, long Rows)> profiled, IEnumerable<QuarantinedPartition> quarantined)
    {
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (partition, count) in profiled)
        {
            var month = MonthOf(partition);
            rows[month] = rows.GetValueOrDefault(month) + count;
        }

        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var partition in quarantined)
        {
            var month = MonthOf(partition.Partition);
            held[month] = held.GetValueOrDefault(month) + partition.Rows;
            rows.TryAdd(month, 0);
        }

        return rows.Select(r =>
        {
            var q = held.GetValueOrDefault(r.Key);
            return new MonthRows(r.Key, Math.Max(0, r.Value - q), q);
        }).ToList();
    }

    private static string MonthOf(string partition)
    {
        var match = DatePattern().Match(partition);
        return match.Success ? match.Groups["month"].Value : partition;
    }

    [GeneratedRegex(@"date=(?<month>\d{4}-\d{2})-\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
