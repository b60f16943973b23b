using System.Globalization;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Status;

/// <summary>
/// The status a person reads: one line per stage that is up to date; the stale cells of a stage one by one with
/// their causes when there are few, grouped by cause when there are many; within a cell, many causes of one
/// per-file kind are one line (<see cref="CauseText.Lines"/>). Verbose lists every stale cell and every cause.
/// </summary>
internal static class StatusText
{
    private const int PerCellLimit = 12;
    private const int ExamplesShown = 3;

    public static void Write(StatusReport report, string workspaceShown, TextWriter output, bool verbose = false)
    {
        var span = report.Partitions.Count == 0 ? string.Empty : report.Partitions.Count == 1
            ? $" ({report.Partitions[0]})"
            : $" ({report.Partitions[0]} to {report.Partitions[^1]})";
        output.WriteLine($"Status of {report.Pipeline}: {Count(report.Partitions.Count, "partition")}{span}, workspace {workspaceShown}");
        foreach (var stage in report.Stages)
        {
            WriteStage(stage, output, verbose);
        }

        if (report.SelectedBy is not null && report.Backfill.NeverBuilt.Count > 0)
        {
            output.WriteLine($"Never built: {Count(report.Backfill.NeverBuilt.Count, "partition")} outside the selection that {string.Join(", ", report.Backfill.Readers)} read; a run builds them first.");
        }

        if (report.SelectedBy is not null && report.Backfill.StaleOutside.Count > 0)
        {
            output.WriteLine($"Outside the selection: {Count(report.Backfill.StaleOutside.Count, "partition")} stale ({Examples(report.Backfill.StaleOutside, report.PartitionKey)}), read as last built by {string.Join(", ", report.Backfill.Readers)}; run without {report.SelectedBy} to refresh {(report.Backfill.StaleOutside.Count == 1 ? "it" : "them")}.");
        }

        var cells = report.Stages.Sum(s => s.Cells);
        if (report.UpToDate)
        {
            output.WriteLine($"Everything is up to date ({Count(cells, "cell")}).");
            return;
        }

        var staleStages = report.Stages.Count(s => s.Stale.Count > 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Stale: {Count(report.StaleCells, "cell")} of {cells:N0} in {Count(staleStages, "stage")}; a run of a target that includes them brings them up to date."));
    }

    private static void WriteStage(StageStatus stage, TextWriter output, bool verbose)
    {
        if (stage.Stale.Count == 0)
        {
            output.WriteLine(stage.Partitioned ? $"{stage.Stage}: up to date ({Count(stage.Cells, "cell")})" : $"{stage.Stage}: up to date");
            return;
        }

        if (!stage.Partitioned)
        {
            WriteCell(stage.Stale[0], $"{stage.Stage}: stale", output, indent: string.Empty, verbose);
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage.Stage}: {stage.Stale.Count:N0} of {Count(stage.Cells, "cell")} stale"));
        if (verbose || stage.Stale.Count <= PerCellLimit)
        {
            foreach (var cell in stage.Stale)
            {
                WriteCell(cell, $"  {cell.Label}", output, indent: "  ", verbose);
            }

            return;
        }

        var groups = stage.Stale
            .SelectMany(cell => cell.Causes.Select(cause => (Key: CauseText.Group(cause), Cell: cell)))
            .GroupBy(g => g.Key, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count());
        foreach (var group in groups)
        {
            var cells = group.Select(g => g.Cell.PartitionKey + "=" + g.Cell.Partition).Distinct(StringComparer.Ordinal).ToList();
            var more = cells.Count > ExamplesShown ? string.Create(CultureInfo.InvariantCulture, $" and {cells.Count - ExamplesShown:N0} more") : string.Empty;
            output.WriteLine($"  {group.Key}: {Count(cells.Count, "cell")} ({string.Join(", ", cells.Take(ExamplesShown))}{more})");
        }
    }

    private static void WriteCell(CellStatus cell, string heading, TextWriter output, string indent, bool verbose)
    {
        var lines = CauseText.Lines(cell.Causes, every: verbose);
        if (lines.Count == 1)
        {
            output.WriteLine($"{heading}: {lines[0]}");
            return;
        }

        output.WriteLine($"{heading}:");
        foreach (var line in lines)
        {
            output.WriteLine($"{indent}  - {line}");
        }
    }

    private static string Examples(IReadOnlyList<string> partitions, string key) =>
        partitions.Count <= ExamplesShown
            ? string.Join(", ", partitions.Select(p => key + "=" + p))
            : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", partitions.Take(ExamplesShown).Select(p => key + "=" + p))} and {partitions.Count - ExamplesShown:N0} more");

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? string.Empty : "s")}");
}
