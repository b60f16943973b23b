using System.Globalization;
using Cairn.Engine.Observing;

namespace Cairn.Engine.Inspecting;

/// <summary>Each stage over the last runs: how often it succeeded when it ran, how long its cells take, retries and rows.</summary>
internal static class HealthText
{
    public static void Write(IReadOnlyList<StageHealth> stages, int runs, string databaseShown, List<string> stageOrder, TextWriter output)
    {
        if (stages.Count == 0)
        {
            output.WriteLine($"No runs recorded in {databaseShown} yet.");
            return;
        }

        output.WriteLine($"Health over the last {HistoryText.Number(runs)} {(runs == 1 ? "run" : "runs")} in {databaseShown} (durations are per cell that ran):");
        // A column for cells restored from the shared cache only when some were: without a cache nothing changes.
        var restored = stages.Any(s => s.CellsRestored > 0);
        string[] headers = restored
            ? ["Stage", "Runs", "Ran in", "Success", "Cells ran", "Restored", "Average", "p95", "Retries", "Rows in"]
            : ["Stage", "Runs", "Ran in", "Success", "Cells ran", "Average", "p95", "Retries", "Rows in"];
        var table = new TextTable(headers);
        foreach (var stage in stages.OrderBy(s => stageOrder.IndexOf(s.Stage) is var i && i < 0 ? int.MaxValue : i))
        {
            List<string> row =
            [
                stage.Stage,
                HistoryText.Number(stage.Runs),
                HistoryText.Number(stage.RunsThatRan),
                stage.SuccessRate is { } rate ? rate.ToString("0.0%", CultureInfo.InvariantCulture) : "-",
                HistoryText.Number(stage.CellsRan),
            ];
            if (restored)
            {
                row.Add(HistoryText.Number(stage.CellsRestored));
            }

            row.AddRange([HistoryText.Duration(stage.AverageMs), HistoryText.Duration(stage.P95Ms), HistoryText.Number(stage.Retries), HistoryText.Number(stage.RowsIn)]);
            table.Add([.. row]);
        }

        table.Write(output, rightAligned: [.. Enumerable.Range(1, headers.Length - 1)]);
    }
}
