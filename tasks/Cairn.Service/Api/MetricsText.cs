using System.Globalization;
using System.Text;
using Cairn.Service.Hosting;
using Cairn.Service.Scheduling;
using Cairn.Service.Store;

namespace Cairn.Service.Api;

/// <summary>
/// <c>/metrics</c> in Prometheus's text format (0.0.4), read from each pipeline's run log and the service's queue at
/// each scrape: runs by status, cell durations as a histogram, cell and run retries, rows processed, the last success
/// per pipeline, the queue, and the schedules' next fire times.
/// </summary>
internal static class MetricsText
{
    /// <summary>The upper bounds, in seconds, of the cell-duration histogram's buckets (and +Inf).</summary>
    public static IReadOnlyList<double> Buckets { get; } = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300];

    public static string Write(ServiceState state, RunStore store, RunLogs logs, IReadOnlyList<ScheduleView> schedules)
    {
        var runs = new StringBuilder();
        var durations = new StringBuilder();
        var cellRetries = new StringBuilder();
        var rows = new StringBuilder();
        var lastSuccess = new StringBuilder();
        foreach (var pipeline in state.Pipelines)
        {
            var p = Label("pipeline", pipeline.Name);
            var all = logs.Newest(pipeline, int.MaxValue);
            foreach (var status in all.GroupBy(r => r.Record.Status).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                runs.Append(CultureInfo.InvariantCulture, $"cairn_runs_total{{{p},{Label("status", status.Key)}}} {status.Count()}\n");
            }

            foreach (var stage in all.SelectMany(r => r.Stages).GroupBy(s => s.Stage).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var s = $"{p},{Label("stage", stage.Key)}";
                var count = stage.Sum(a => a.CellsRan);
                for (var i = 0; i < Buckets.Count; i++)
                {
                    durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_bucket{{{s},le=\"{Number(Buckets[i])}\"}} {stage.Sum(a => a.Buckets[i])}\n");
                }

                durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_bucket{{{s},le=\"+Inf\"}} {count}\n");
                durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_sum{{{s}}} {Number(stage.Sum(a => a.DurationMs) / 1000)}\n");
                durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_count{{{s}}} {count}\n");
                cellRetries.Append(CultureInfo.InvariantCulture, $"cairn_cell_retries_total{{{s}}} {stage.Sum(a => a.Retries)}\n");
                rows.Append(CultureInfo.InvariantCulture, $"cairn_rows_processed_total{{{s}}} {stage.Sum(a => a.Rows)}\n");
            }

            if (all.Where(r => r.Record.Status == "succeeded" && r.Record.FinishedAt is not null).MaxBy(r => r.Record.FinishedAt) is { } success)
            {
                lastSuccess.Append(CultureInfo.InvariantCulture, $"cairn_last_success_timestamp_seconds{{{p}}} {RunLogs.UnixSeconds(success.Record.FinishedAt!.Value)}\n");
            }
        }

        var text = new StringBuilder();
        Family(text, "cairn_runs_total", "counter", "Runs in the run log, by status.", runs);
        Family(text, "cairn_cell_duration_seconds", "histogram", "How long the cells that ran took.", durations);
        Family(text, "cairn_cell_retries_total", "counter", "Cell attempts after the first (a stage's retry policy).", cellRetries);
        Family(text, "cairn_rows_processed_total", "counter", "Rows the stage's succeeded cells read (metric RowsIn, else Rows).", rows);
        Family(text, "cairn_last_success_timestamp_seconds", "gauge", "When the pipeline's last succeeded run finished.", lastSuccess);

        var retries = store.Retries();
        var queued = store.Queued();
        var runRetries = new StringBuilder();
        var queue = new StringBuilder();
        foreach (var pipeline in state.Pipelines)
        {
            var p = Label("pipeline", pipeline.Name);
            runRetries.Append(CultureInfo.InvariantCulture, $"cairn_run_retries_total{{{p}}} {retries.GetValueOrDefault(pipeline.Name)}\n");
            queue.Append(CultureInfo.InvariantCulture, $"cairn_queued_runs{{{p},{Label("state", "queued")}}} {queued.Count(r => r.Pipeline == pipeline.Name && r.Status == "queued")}\n");
            queue.Append(CultureInfo.InvariantCulture, $"cairn_queued_runs{{{p},{Label("state", "running")}}} {queued.Count(r => r.Pipeline == pipeline.Name && r.Status == "running")}\n");
        }

        Family(text, "cairn_run_retries_total", "counter", "Runs the service tried again after a failed run (a schedule's retry).", runRetries);
        Family(text, "cairn_queued_runs", "gauge", "Runs in the service's queue.", queue);

        var next = new StringBuilder();
        var paused = new StringBuilder();
        foreach (var schedule in schedules)
        {
            var s = $"{Label("pipeline", schedule.Pipeline)},{Label("schedule", schedule.Name)}";
            if (schedule.NextFireTime is { } at)
            {
                next.Append(CultureInfo.InvariantCulture, $"cairn_schedule_next_fire_timestamp_seconds{{{s}}} {RunLogs.UnixSeconds(at)}\n");
            }

            paused.Append(CultureInfo.InvariantCulture, $"cairn_schedule_paused{{{s}}} {(schedule.Paused ? 1 : 0)}\n");
        }

        Family(text, "cairn_schedule_next_fire_timestamp_seconds", "gauge", "When a cron schedule fires next.", next);
        Family(text, "cairn_schedule_paused", "gauge", "1 when the schedule is paused.", paused);
        return text.ToString();
    }

    private static void Family(StringBuilder text, string name, string type, string help, StringBuilder samples)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n").Append(samples);
    }

    private static string Label(string name, string value) =>
        $"{name}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"";

    private static string Number(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
