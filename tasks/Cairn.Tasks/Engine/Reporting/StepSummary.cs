using System.Globalization;
using System.Text;
using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Reporting;

/// <summary>
/// The Markdown a run appends to GitHub's job summary: the outcome, the stage table, what ran and why (the reasons
/// grouped), the stages' metrics, and the DAG coloured by what ran, was skipped or failed.
/// </summary>
internal static class StepSummary
{
    private const int ExamplesPerReason = 1;

    public static string Render(RunRecord record)
    {
        var started = record.Started ?? throw new InvalidOperationException("the run has not started");
        var finished = record.Finished ?? throw new InvalidOperationException("the run has not finished");
        var text = new StringBuilder();
        Line(text, $"## Cairn run {finished.Status}: {started.Pipeline}, target {started.Target}");
        Line(text);
        var seconds = (finished.FinishedAt - finished.StartedAt).TotalSeconds;
        var partitions = started.Partitions.Count == 1 ? "1 partition" : Invariant($"{started.Partitions.Count:N0} partitions");
        Line(text, Invariant($"Run `{started.RunId}`, environment `{started.Environment}`, {partitions}, {seconds:0.00} s."));
        Line(text);
        Failures(text, record, finished.Failure);
        Stages(text, finished.Stages);
        Reasons(text, record);
        Metrics(text, finished.Stages);
        Dag(text, record);
        return text.ToString();
    }

    private static void Failures(StringBuilder text, RunRecord record, string? runFailure)
    {
        var finishedHeld = record.Finished?.Status == "held";
        foreach (var cell in record.FailedCells)
        {
            Line(text, $"**{(cell.Held ? "Awaiting approval" : "Failed")}:** {Escape(FailureMessage(cell, record.PartitionKey))}");
            Line(text);
        }

        if (record.FailedCells.Count == 0 && runFailure is not null)
        {
            Line(text, $"**{(finishedHeld ? "Awaiting approval" : "Failed")}:** {Escape(runFailure)}");
            Line(text);
        }
    }

    /// <summary>What a failed cell's annotation says, or a held cell's: held cells did not fail, they wait for a person.</summary>
    public static string FailureMessage(CellFinished cell, string partitionKey) =>
        $"Stage '{cell.Stage}' {(cell.Held ? "awaits approval" : "failed")}{(cell.Partition is null ? string.Empty : $" for {partitionKey}={cell.Partition}")}: {cell.Failure}";

    private static void Stages(StringBuilder text, IReadOnlyList<StageResult> stages)
    {
        // A column for cells restored from the shared cache only when there are some, as the console's table does.
        var restored = stages.Any(s => s.Restored > 0);
        Line(text, restored ? "| Stage | Cells | Ran | Restored | Skipped | Failed | Time |" : "| Stage | Cells | Ran | Skipped | Failed | Time |");
        Line(text, restored ? "| --- | ---: | ---: | ---: | ---: | ---: | ---: |" : "| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in stages)
        {
            var counts = restored ? Invariant($"{s.RanHere:N0} | {s.Restored:N0}") : Invariant($"{s.Ran:N0}");
            Line(text, Invariant($"| {s.Stage} | {s.Cells:N0} | {counts} | {s.Skipped:N0} | {s.Failed:N0} | {s.Duration.TotalSeconds:0.00} s |"));
        }

        Line(text);
    }

    private static void Reasons(StringBuilder text, RunRecord record)
    {
        Line(text, "### What ran and why");
        Line(text);
        var any = false;
        foreach (var stage in record.Stages)
        {
            if (!record.Running.TryGetValue(stage, out var running) || running.Count == 0)
            {
                continue;
            }

            any = true;
            var groups = running.GroupBy(d => d.Decision.Kind).Select(g => Group(g.Key, g.ToList()));
            Line(text, $"- **{stage}**: {string.Join("; ", groups)}");
        }

        if (!any)
        {
            Line(text, "Nothing ran: every stage was up to date.");
        }

        Line(text);
    }

    private static string Group(DecisionKind kind, List<CellDecision> cells)
    {
        if (cells.Count == 1)
        {
            return Escape(Labelled(cells[0]));
        }

        if (cells.All(c => c.Decision.Reason == cells[0].Decision.Reason))
        {
            return Invariant($"{Escape(cells[0].Decision.Reason)} ({cells.Count:N0} cells)");
        }

        var examples = string.Join(", ", cells.Take(ExamplesPerReason).Select(c => Escape(Labelled(c))));
        return Invariant($"{Escape(CauseText.Describe(kind, cells[0].Decision.Reason))} ({cells.Count:N0} cells), e.g. {examples}");
    }

    private static string Labelled(CellDecision cell) =>
        cell.Cell.Partition is null ? cell.Decision.Reason : $"{cell.Cell.PartitionLabel}: {cell.Decision.Reason}";

    private static void Metrics(StringBuilder text, IReadOnlyList<StageResult> stages)
    {
        var rows = stages.SelectMany(s => s.Metrics.Select(m => (s.Stage, Name: m.Key, m.Value))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        Line(text, "### Metrics");
        Line(text);
        Line(text, "Summed over the cells that ran.");
        Line(text);
        Line(text, "| Stage | Metric | Value |");
        Line(text, "| --- | --- | ---: |");
        foreach (var (stage, name, value) in rows)
        {
            Line(text, $"| {stage} | {name} | {value.ToString(value == Math.Floor(value) && Math.Abs(value) < 1e15 ? "0" : "0.####", CultureInfo.InvariantCulture)} |");
        }

        Line(text);
    }

    private static void Dag(StringBuilder text, RunRecord record)
    {
        Line(text, "### Pipeline");
        Line(text);
        Line(text, "```mermaid");
        Line(text, "flowchart LR");
        foreach (var stage in record.Stages)
        {
            Line(text, $"    {stage}");
        }

        foreach (var edge in record.DagEdges)
        {
            var parts = edge.Split("->", 2);
            Line(text, $"    {parts[0]} --> {parts[1]}");
        }

        Line(text, "    classDef ran fill:#d3f0d8,stroke:#2d8a4e,color:#0b3d1c");
        Line(text, "    classDef skipped fill:#ececec,stroke:#8c8c8c,color:#4a4a4a");
        Line(text, "    classDef failed fill:#f9d4d4,stroke:#c62828,color:#5c0b0b");
        Line(text, "    classDef notrun fill:#ffffff,stroke:#b0b0b0,stroke-dasharray:4 3,color:#8c8c8c");
        foreach (var group in record.Stages.GroupBy(record.StateOf))
        {
            Line(text, $"    class {string.Join(",", group)} {group.Key}");
        }

        Line(text, "```");
        Line(text);
        Line(text, "Green ran, grey was up to date, red failed, dashed did not run.");
        Line(text);
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Invariant(FormattableString value) => FormattableString.Invariant(value);

    // '\n' whatever the platform: the summary is Markdown for GitHub.
    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
