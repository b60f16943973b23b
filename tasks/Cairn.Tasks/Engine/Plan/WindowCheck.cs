using System.Globalization;
using Cairn.Engine.Configuration;

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

        var scheme = options.Scheme;
        var first = options.AllPartitions[0];
        var last = options.AllPartitions[^1];
        var span = scheme.Span(first, last);
        var units = span == 1 ? scheme.Unit : scheme.Unit + "s";
        foreach (var stage in plan.Stages.Where(s => s.Definition.Reads.Kind == ReadWindowKind.Last))
        {
            if (stage.Definition.Reads.Start(last, scheme) is { } start && string.CompareOrdinal(start, first) < 0)
            {
                problems.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{stage.Definition.Reads.Source}: stage '{stage.Name}' reads {stage.Definition.Reads}, but the raw data in {options.RawDirectory} spans {span:N0} {units} ({first} to {last}); shorten the window to at most {span:N0} {units}, or write reads: all."));
            }
        }

        return problems;
    }
}
