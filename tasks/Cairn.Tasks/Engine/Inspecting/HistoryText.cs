using System.Globalization;
using System.Text;
using Cairn.Engine.Observing;

namespace Cairn.Engine.Inspecting;

/// <summary>The run log as a person reads it: the last runs as a table, one run's cells stage by stage, or a summary of the last runs.</summary>
internal static class HistoryText
{
    public static void WriteRuns(IReadOnlyList<RunRecord> runs, string databaseShown, TextWriter output)
    {
        if (runs.Count == 0)
        {
            output.WriteLine($"No runs recorded in {databaseShown} yet.");
            return;
        }

        output.WriteLine($"Last {Plural(runs.Count, "run")} in {databaseShown}, newest first:");
        // A column for cells restored from the shared cache only when a listed run restored some: without a cache nothing changes.
        var restored = runs.Any(r => r.Restored > 0);
        string[] headers = restored
            ? ["Run", "Status", "Started (UTC)", "Duration", "Target", "Env", "Cells", "Ran", "Restored", "Skipped", "Failed", "Triggered by", "Commit"]
            : ["Run", "Status", "Started (UTC)", "Duration", "Target", "Env", "Cells", "Ran", "Skipped", "Failed", "Triggered by", "Commit"];
        var table = new TextTable(headers);
        foreach (var run in runs)
        {
            List<string> row =
            [
                run.RunId,
                run.Status,
                run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Duration(run.DurationMs),
                run.Target,
                run.Environment,
                Number(run.Cells),
                Number(run.Ran),
            ];
            if (restored)
            {
                row.Add(Number(run.Restored));
            }

            row.AddRange([Number(run.Skipped), Number(run.Failed), run.TriggeredBy, run.GitCommit is { Length: >= 8 } commit ? commit[..8] : "-"]);
            table.Add([.. row]);
        }

        table.Write(output, rightAligned: restored ? [3, 6, 7, 8, 9, 10] : [3, 6, 7, 8, 9]);
    }

    public static void WriteRun(RunRecord run, IReadOnlyList<CellRecord> cells, List<string> stageOrder, TextWriter output, string partitionKey)
    {
        var outcome = run.Status switch
        {
            "running" => "still running",
            "crashed" => "crashed (its process is gone; the cells below marked pending never finished)",
            "incomplete" => "incomplete (it never recorded an end)",
            _ => $"{run.Status} in {Duration(run.DurationMs)}",
        };
        output.WriteLine($"Run {run.RunId}: {outcome}");
        output.WriteLine($"  {run.Pipeline}, target {run.Target}, env {run.Environment}, started {run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC by {run.TriggeredBy}, commit {run.GitCommit ?? "-"}, Cairn {run.ToolVersion}");
        if (run.ParameterOverrides.Count > 0)
        {
            output.WriteLine($"  set: {string.Join(", ", run.ParameterOverrides.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"))}");
        }

        if (run.Failure is not null)
        {
            output.WriteLine($"  failure: {run.Failure}");
        }

        var byStage = cells.GroupBy(c => c.Stage, StringComparer.Ordinal)
            .OrderBy(g => stageOrder.IndexOf(g.Key) is var i && i < 0 ? int.MaxValue : i);
        foreach (var stage in byStage)
        {
            var skipped = stage.Count(c => c.Decision == "skip");
            var decided = stage.Where(c => c.Decision == "run").ToList();
            var ran = decided.Where(c => c.RestoredFrom is null).ToList();
            var restored = decided.Count - ran.Count;
            var statuses = ran.GroupBy(c => c.Status, StringComparer.Ordinal).Select(g => $"{Number(g.Count())} {g.Key}");
            var ranText = ran.Count == 0 ? string.Empty : $", ran {Number(ran.Count - ran.Count(c => c.Attempt > 1))} ({string.Join(", ", statuses)})";
            var restoredText = restored == 0 ? string.Empty : $", restored {Number(restored)} from {decided.First(c => c.RestoredFrom is not null).RestoredFrom}";
            output.WriteLine($"{stage.Key}: {Plural(stage.Count(c => c.Attempt == 1), "cell")}{ranText}{restoredText}, skipped {Number(skipped)}");
            if (decided.Count == 0)
            {
                continue;
            }

            var table = new TextTable("Cell", "Attempt", "Status", "Duration", "Rows in", "Rows out", "Quarantined", "Reason");
            foreach (var cell in decided)
            {
                table.Add(
                    cell.Label(partitionKey),
                    Number(cell.Attempt),
                    cell.Shown,
                    Duration(cell.DurationMs),
                    Rows(cell.RowsIn),
                    Rows(cell.RowsOut),
                    Rows(cell.RowsQuarantined),
                    cell.Reason);
            }

            table.Write(output, rightAligned: [1, 3, 4, 5, 6], indent: "  ");
        }
    }

    public static void WriteSummary(RunsSummary summary, string databaseShown, TextWriter output)
    {
        if (summary.Runs == 0)
        {
            output.WriteLine($"No runs recorded in {databaseShown} yet.");
            return;
        }

        var span = summary.First == summary.Last
            ? $"started {Time(summary.First!.Value)} UTC"
            : $"started {Time(summary.First!.Value)} to {Time(summary.Last!.Value)} UTC";
        output.WriteLine($"Summary of the last {Plural(summary.Runs, "run")} in {databaseShown} ({span}):");
        var ended = summary.Runs - summary.ByStatus.Where(s => s.Status == "running").Sum(s => s.Runs);
        var table = new TextTable("Runs", $"{Number(summary.Runs)}: {string.Join(", ", summary.ByStatus.Select(s => $"{Number(s.Runs)} {s.Status}"))}");
        table.Add("Success rate", summary.SuccessRate is { } rate
            ? $"{rate.ToString("0.0%", CultureInfo.InvariantCulture)} (succeeded, of the {Plural(ended, "run")} that ended)"
            : "- (no run has ended)");
        var restored = summary.Restored == 0 ? string.Empty : $", {Number(summary.Restored)} restored from the shared cache";
        table.Add("Cells", $"{Number(summary.Cells)}: {Number(summary.Ran)} ran{restored}, {Number(summary.Skipped)} skipped, {Number(summary.Failed)} failed");
        table.Add("Rows read", $"{Number(summary.RowsRead)} (by the cells that ran and succeeded, each stage's counted)");
        table.Add("Time", summary.MedianMs is { } median
            ? $"{Duration(summary.TotalMs)} in all; median {Duration(median)}, longest {Duration(summary.LongestMs)}"
            : "-");
        table.Write(output, rightAligned: [], indent: "  ");
    }

    public static string Duration(double? milliseconds) => milliseconds switch
    {
        null => "-",
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms"),
        < 120_000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.00} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 60_000:0.0} min"),
    };

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Rows(long? value) => value is null ? "-" : Number(value.Value);

    private static string Plural(int count, string noun) =>
        new StringBuilder().Append(Number(count)).Append(' ').Append(noun).Append(count == 1 ? string.Empty : "s").ToString();
}
