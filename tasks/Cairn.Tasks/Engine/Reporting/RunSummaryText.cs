using System.Globalization;
using System.Text;
using Cairn.Engine.Runs;

namespace Cairn.Engine.Reporting;

/// <summary>
/// The run's summary a person reads: one line with the outcome, then one row per stage whose columns carry their
/// units (no header line), then what failed and what did not run. A run that found nothing to do (every cell of
/// every stage skipped, nothing to note) is the one line, saying so: the stages' own lines have said the rest, and
/// the sample's no-op of eight stages stays within 15 lines (9).
/// </summary>
internal static class RunSummaryText
{
    public static string Write(string runId, string environment, int? partitions, string status, TimeSpan elapsed, string runLog, IReadOnlyList<StageResult> results, IReadOnlyList<string> notes)
    {
        var text = new StringBuilder();
        if (status == "succeeded" && notes.Count == 0 && results.Count > 0 && results.All(r => r.Skipped == r.Cells))
        {
            var cells = results.Sum(r => r.Cells);
            return text.Append(CultureInfo.InvariantCulture, $"Cairn run {runId} ({Scope(environment, partitions)}) succeeded in {elapsed.TotalSeconds:0.00} s: nothing to do, {(cells == 1 ? "the cell is" : $"all {cells:N0} cells are")} up to date; run log {runLog}").ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"Cairn run {runId} ({Scope(environment, partitions)}) {Outcome(status)} {elapsed.TotalSeconds:0.00} s; run log {runLog}");
        var columns = new List<(Func<StageResult, int> Value, string Unit)>
        {
            (r => r.RanHere, "ran"),
        };
        if (results.Any(r => r.Restored > 0))
        {
            // A cell restored from the shared cache did not run here: counted apart, so "ran" means work done here.
            columns.Add((r => r.Restored, "restored"));
        }

        columns.Add((r => r.Skipped, "skipped"));
        if (results.Any(r => r.Failed > 0))
        {
            columns.Add((r => r.Failed, "failed"));
        }

        if (results.Any(r => r.NotRun > 0))
        {
            columns.Add((r => r.NotRun, "not run"));
        }

        var stageWidth = results.Select(r => r.Stage.Length).DefaultIfEmpty(0).Max();
        var cellsWidth = Width(results.Select(r => r.Cells));
        var widths = columns.Select(c => Width(results.Select(c.Value))).ToList();
        var times = results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Duration.TotalSeconds:0.00} s")).ToList();
        var timeWidth = times.Select(t => t.Length).DefaultIfEmpty(0).Max();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            text.Append("\n  ").Append(result.Stage.PadRight(stageWidth)).Append("  ")
                .Append(Number(result.Cells).PadLeft(cellsWidth)).Append(result.Cells == 1 ? " cell " : " cells");
            for (var c = 0; c < columns.Count; c++)
            {
                text.Append("  ").Append(Number(columns[c].Value(result)).PadLeft(widths[c])).Append(' ').Append(columns[c].Unit);
            }

            text.Append("  ").Append(times[i].PadLeft(timeWidth));
        }

        foreach (var note in notes)
        {
            text.Append("\n  ").Append(note);
        }

        return text.ToString();
    }

    private static int Width(IEnumerable<int> values) => values.Select(v => Number(v).Length).DefaultIfEmpty(1).Max();

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Where the run ran and how many partitions it selected; a pipeline of no partitions says only where.</summary>
    private static string Scope(string environment, int? partitions) =>
        partitions is { } count ? $"{environment}, {Count(count, "partition")}" : environment;

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? string.Empty : "s")}");

    /// <summary>The words before the run's time: a held run did not fail, it waits for a person (exit code 3).</summary>
    private static string Outcome(string status) => status == "held" ? "awaiting approval after" : status + " in";
}
