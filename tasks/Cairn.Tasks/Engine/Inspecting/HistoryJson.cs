using System.Text.Json;
using Cairn.Engine.Observing;

namespace Cairn.Engine.Inspecting;

/// <summary>
/// History as a stable JSON document (<c>--target=History --format=json</c>); README.md documents it. The last runs
/// newest first, or with <c>--run</c> the one run with every attempt of every cell it decided.
/// </summary>
internal static class HistoryJson
{
    public const string Format = "cairn-history";
    public const string SummaryFormat = "cairn-history-summary";
    public const int Version = 1;

    public static string Write(string runLog, IReadOnlyList<RunRecord> runs, IReadOnlyList<CellRecord>? cells = null) => InspectionJson.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        json.WriteString("runLog", runLog);
        json.WriteStartArray("runs");
        foreach (var run in runs)
        {
            WriteRun(json, run, cells);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>The summary of the last runs (<c>--summary</c>) as its own document, <c>cairn-history-summary</c>.</summary>
    public static string WriteSummary(string runLog, RunsSummary summary) => InspectionJson.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("format", SummaryFormat);
        json.WriteNumber("version", Version);
        json.WriteString("runLog", runLog);
        json.WriteNumber("runs", summary.Runs);
        json.WriteStartObject("statuses");
        foreach (var (status, runs) in summary.ByStatus)
        {
            json.WriteNumber(status, runs);
        }

        json.WriteEndObject();
        if (summary.SuccessRate is { } rate)
        {
            json.WriteNumber("successRate", Math.Round(rate, 4));
        }
        else
        {
            json.WriteNull("successRate");
        }

        json.WriteNumber("cells", summary.Cells);
        json.WriteNumber("ran", summary.Ran);
        json.WriteNumber("restored", summary.Restored);
        json.WriteNumber("skipped", summary.Skipped);
        json.WriteNumber("failed", summary.Failed);
        json.WriteNumber("rowsRead", summary.RowsRead);
        InspectionJson.Optional(json, "firstStartedAt", summary.First is { } first ? RunLogTime.Format(first) : null);
        InspectionJson.Optional(json, "lastStartedAt", summary.Last is { } last ? RunLogTime.Format(last) : null);
        json.WriteNumber("totalMs", Math.Round(summary.TotalMs, 3));
        InspectionJson.Optional(json, "medianMs", summary.MedianMs);
        InspectionJson.Optional(json, "longestMs", summary.LongestMs);
        json.WriteEndObject();
    });

    private static void WriteRun(Utf8JsonWriter json, RunRecord run, IReadOnlyList<CellRecord>? cells)
    {
        json.WriteStartObject();
        json.WriteString("runId", run.RunId);
        json.WriteString("pipeline", run.Pipeline);
        json.WriteString("status", run.Status);
        json.WriteString("target", run.Target);
        json.WriteString("environment", run.Environment);
        json.WriteString("startedAt", RunLogTime.Format(run.StartedAt));
        InspectionJson.Optional(json, "finishedAt", run.FinishedAt is { } finished ? RunLogTime.Format(finished) : null);
        InspectionJson.Optional(json, "durationMs", run.DurationMs);
        json.WriteNumber("cells", run.Cells);
        json.WriteNumber("ran", run.Ran);
        json.WriteNumber("restored", run.Restored);
        json.WriteNumber("skipped", run.Skipped);
        json.WriteNumber("failed", run.Failed);
        json.WriteString("triggeredBy", run.TriggeredBy);
        InspectionJson.Optional(json, "gitCommit", run.GitCommit);
        json.WriteString("toolVersion", run.ToolVersion);
        InspectionJson.Optional(json, "failure", run.Failure);
        json.WriteStartObject("overrides");
        foreach (var (key, value) in run.ParameterOverrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        if (cells is not null)
        {
            json.WriteStartArray("cellRuns");
            foreach (var cell in cells)
            {
                WriteCell(json, cell);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteCell(Utf8JsonWriter json, CellRecord cell)
    {
        json.WriteStartObject();
        json.WriteString("stage", cell.Stage);
        if (cell.Partition is null)
        {
            json.WriteNull("partition");
        }
        else
        {
            json.WriteString("partition", cell.Partition);
        }

        json.WriteNumber("attempt", cell.Attempt);
        json.WriteString("decision", cell.Decision);
        json.WriteString("reason", cell.Reason);
        json.WriteString("status", cell.Status);
        InspectionJson.Optional(json, "restoredFrom", cell.RestoredFrom);
        InspectionJson.Optional(json, "startedAt", cell.StartedAt is { } started ? RunLogTime.Format(started) : null);
        InspectionJson.Optional(json, "finishedAt", cell.FinishedAt is { } finished ? RunLogTime.Format(finished) : null);
        InspectionJson.Optional(json, "durationMs", cell.DurationMs);
        InspectionJson.Optional(json, "rowsIn", cell.RowsIn);
        InspectionJson.Optional(json, "rowsOut", cell.RowsOut);
        InspectionJson.Optional(json, "rowsQuarantined", cell.RowsQuarantined);
        if (cell.Metrics is { } metrics)
        {
            using var document = JsonDocument.Parse(metrics);
            json.WritePropertyName("metrics");
            document.RootElement.WriteTo(json);
        }

        InspectionJson.Optional(json, "fingerprint", cell.Fingerprint);
        json.WriteEndObject();
    }
}
