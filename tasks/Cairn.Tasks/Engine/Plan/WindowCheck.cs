using System.Globalization;
using Cairn.Engine.Configuration;
using Cairn.Engine.Partitions;

namespace Cairn.Engine.Plan;

/// <summary>
/// The <c>reads: last N …</c> windows checked against the raw data before anything runs: a window longer than the
/// data it could ever read is a mistake in the pipeline file (it would silently read less than it says).
/// </summary>
internal static class WindowCheck
{
    public static IReadOnlyList<string> Problems(RunOptions options, PipelinePlan plan)
    {
        var problems = new List<string>();
        if (options.AllPartitions.Count == 0)
        {
            return problems;
        }

        var first = DateOnly.ParseExact(options.AllPartitions[0], PartitionDates.Format, CultureInfo.InvariantCulture);
        var last = DateOnly.ParseExact(options.AllPartitions[^1], PartitionDates.Format, CultureInfo.InvariantCulture);
        var days = last.DayNumber - first.DayNumber + 1;
        foreach (var stage in plan.Stages.Where(s => s.Definition.Reads.Kind == ReadWindowKind.Last))
        {
            if (stage.Definition.Reads.Start(last) is { } start && start < first)
            {
                problems.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{stage.Definition.Reads.Source}: stage '{stage.Name}' reads {stage.Definition.Reads}, but the raw data in {options.RawDirectory} spans {days:N0} days ({PartitionDates.ToKey(first)} to {PartitionDates.ToKey(last)}); shorten the window to at most {days:N0} days, or write reads: all."));
            }
        }

        return problems;
    }
}
