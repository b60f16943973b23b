using System.Globalization;
using System.Text;
using Cairn.Engine.Observing;
using Cairn.Service.Hosting;
using Cairn.Service.Scheduling;
using Cairn.Service.Store;
using Microsoft.Data.Sqlite;

namespace Cairn.Service.Api;

/// <summary>
/// <c>/metrics</c> in Prometheus's text format (0.0.4), read from each pipeline's run log and the service's queue at
/// each scrape: runs by status, cell durations as a histogram, cell and run retries, rows processed, the last success
/// per pipeline, the queue, and the schedules' next fire times.
/// </summary>
internal static class MetricsText
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300];

    public static string Write(ServiceState state, RunStore store, IReadOnlyList<ScheduleView> schedules)
    {
        var runs = new StringBuilder();
        var durations = new StringBuilder();
        var cellRetries = new StringBuilder();
        var rows = new StringBuilder();
        var lastSuccess = new StringBuilder();
        foreach (var pipeline in state.Pipelines)
        {
            var path = RunLogs.RunLogPath(pipeline);
            if (!File.Exists(path))
            {
                continue;
            }

            var p = Label("pipeline", pipeline.Name);
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            foreach (var row in Query(connection, "SELECT status, count(*) FROM pipeline_run_log GROUP BY status ORDER BY status"))
            {
                runs.Append(CultureInfo.InvariantCulture, $"cairn_runs_total{{{p},{Label("status", (string)row[0])}}} {row[1]}\n");
            }

            var bucketColumns = string.Join(", ", Buckets.Select(b => string.Create(CultureInfo.InvariantCulture, $"sum(duration_ms <= {b * 1000})")));
            foreach (var row in Query(connection, $"SELECT stage, count(*), coalesce(sum(duration_ms), 0), {bucketColumns} FROM cell_run_log WHERE decision = 'run' AND status IN ('succeeded', 'failed') AND duration_ms IS NOT NULL GROUP BY stage ORDER BY stage"))
            {
                var s = $"{p},{Label("stage", (string)row[0])}";
                for (var i = 0; i < Buckets.Length; i++)
                {
                    durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_bucket{{{s},le=\"{Number(Buckets[i])}\"}} {row[3 + i]}\n");
                }

                durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_bucket{{{s},le=\"+Inf\"}} {row[1]}\n");
                durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_sum{{{s}}} {Number(Convert.ToDouble(row[2], CultureInfo.InvariantCulture) / 1000)}\n");
                durations.Append(CultureInfo.InvariantCulture, $"cairn_cell_duration_seconds_count{{{s}}} {row[1]}\n");
            }

            foreach (var row in Query(connection, "SELECT stage, coalesce(sum(attempt > 1), 0), coalesce(sum(CASE WHEN status = 'succeeded' THEN rows_in END), 0) FROM cell_run_log GROUP BY stage ORDER BY stage"))
            {
                var s = $"{p},{Label("stage", (string)row[0])}";
                cellRetries.Append(CultureInfo.InvariantCulture, $"cairn_cell_retries_total{{{s}}} {row[1]}\n");
                rows.Append(CultureInfo.InvariantCulture, $"cairn_rows_processed_total{{{s}}} {row[2]}\n");
            }

            foreach (var row in Query(connection, "SELECT max(finished_at) FROM pipeline_run_log WHERE status = 'succeeded'"))
            {
                if (row[0] is string finished && RunLogTime.Parse(finished) is { } at)
                {
                    lastSuccess.Append(CultureInfo.InvariantCulture, $"cairn_last_success_timestamp_seconds{{{p}}} {RunLogs.UnixSeconds(at)}\n");
                }
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

    private static List<object[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
