using System.Globalization;
using Cairn.Engine.Observing;
using Cairn.Engine.Workspace;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;
using Cairn.Service.Runs;
using Cairn.Service.Store;
using Microsoft.Data.Sqlite;

namespace Cairn.Service.Api;

/// <summary>
/// Reads what the API shows of runs: each pipeline's run log (<c>.cairn/runs.db</c>, the engine's reader, so a run
/// whose process died reads as crashed) joined with the service's queue (trigger, attempts).
/// </summary>
internal sealed class RunLogs
{
    private readonly ServiceState _state;
    private readonly RunStore _store;

    public RunLogs(ServiceState state, RunStore store)
    {
        _state = state;
        _store = store;
    }

    public static string RunLogPath(ServedPipeline pipeline) => Path.Combine(new WorkspaceLayout(pipeline.Workspace).State, RunLogDatabase.FileName);

    public IReadOnlyList<RunView> Latest(int limit, ServedPipeline? only)
    {
        var pipelines = only is null ? _state.Pipelines : [only];
        var queue = _store.Latest(limit * 4 + 100, only?.Name).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var views = new List<RunView>();
        var logged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pipeline in pipelines)
        {
            using var reader = RunLogReader.Open(RunLogPath(pipeline));
            foreach (var record in reader?.Runs(limit) ?? [])
            {
                logged.Add(record.RunId);
                views.Add(View(pipeline.Name, record, queue.GetValueOrDefault(record.RunId)));
            }
        }

        // Queued runs, and attempts the engine refused before a run began, are in the queue only.
        views.AddRange(queue.Values.Where(q => !logged.Contains(q.Id) && q.Status is "queued" or "running" or "refused").Select(Queued));
        return views.OrderByDescending(v => v.Status == "queued").ThenByDescending(v => v.StartedAt ?? v.QueuedAt).Take(limit).ToList();
    }

    public (RunView Run, IReadOnlyList<CellRecord> Cells, IReadOnlyList<QueuedRun> Attempts)? Find(string id)
    {
        var queued = _store.Find(id);
        var attempts = queued is null ? [] : _store.Chain(queued.FirstId);
        foreach (var pipeline in _state.Pipelines)
        {
            using var reader = RunLogReader.Open(RunLogPath(pipeline));
            var record = reader?.FindRuns(id).FirstOrDefault(r => r.RunId == id);
            if (record is not null)
            {
                return (View(pipeline.Name, record, queued), reader!.Cells(id), attempts);
            }
        }

        return queued is null ? null : (Queued(queued), [], attempts);
    }

    /// <summary>Per stage over the last runs: the milliseconds its cells that ran took in all, how many ran, the rows they read.</summary>
    public static IReadOnlyList<object> Trends(ServedPipeline pipeline, int limit)
    {
        var path = RunLogPath(pipeline);
        if (!File.Exists(path))
        {
            return [];
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            WITH recent AS (SELECT run_id, started_at, status FROM pipeline_run_log ORDER BY started_at DESC LIMIT $limit)
            SELECT r.run_id, r.started_at, r.status, c.stage,
                   coalesce(sum(CASE WHEN c.decision = 'run' AND c.status IN ('succeeded', 'failed') THEN c.duration_ms END), 0),
                   coalesce(sum(c.decision = 'run' AND c.status IN ('succeeded', 'failed')), 0),
                   coalesce(sum(CASE WHEN c.status = 'succeeded' THEN c.rows_in END), 0)
            FROM recent r LEFT JOIN cell_run_log c ON c.run_id = r.run_id
            GROUP BY r.run_id, c.stage
            ORDER BY r.started_at, c.rowid
            """;
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<object>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.IsDBNull(3))
            {
                continue;
            }

            rows.Add(new
            {
                runId = reader.GetString(0),
                startedAt = reader.GetString(1),
                status = reader.GetString(2),
                stage = reader.GetString(3),
                durationMs = Math.Round(reader.GetDouble(4), 1),
                cellsRan = reader.GetInt64(5),
                rows = reader.GetInt64(6),
            });
        }

        return rows;
    }

    private static RunView View(string pipeline, RunRecord record, QueuedRun? queued) => new(
        record.RunId,
        pipeline,
        record.Status,
        record.Target,
        queued?.Trigger ?? record.TriggeredBy,
        queued?.Detail,
        queued?.Partitions.ToString(),
        queued?.Attempt,
        queued?.MaxAttempts,
        queued?.FirstId,
        queued?.RetriedBy,
        queued?.CreatedAt,
        record.StartedAt,
        record.FinishedAt,
        record.DurationMs,
        record.Cells,
        record.Ran,
        record.Skipped,
        record.Failed,
        record.Failure ?? queued?.Failure,
        record.Environment,
        record.TriggeredBy,
        record.GitCommit);

    private static RunView Queued(QueuedRun run) => new(
        run.Id,
        run.Pipeline,
        run.Status,
        run.Target,
        run.Trigger,
        run.Detail,
        run.Partitions.ToString(),
        run.Attempt,
        run.MaxAttempts,
        run.FirstId,
        run.RetriedBy,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        run.StartedAt is { } s && run.FinishedAt is { } f ? Math.Round((f - s).TotalMilliseconds, 3) : null,
        0,
        0,
        0,
        0,
        run.Failure,
        null,
        null,
        null);

    /// <summary>Seconds since the Unix epoch, for Prometheus.</summary>
    public static string UnixSeconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
