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
    // More runs than this not read yet are summed in one pass over the cells rather than run by run.
    private const int ManyRuns = 20;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Pipeline, string Run), CachedRun> _cache = new();

    public RunLogs(ServiceState state, RunStore store)
    {
        _state = state;
        _store = store;
    }

    public static string RunLogPath(ServedPipeline pipeline) => Path.Combine(new WorkspaceLayout(pipeline.Workspace).State, RunLogDatabase.FileName);

    public IReadOnlyList<RunView> Latest(int limit, ServedPipeline? only)
    {
        var pipelines = only is null ? _state.Pipelines : [only];
        // The run logs first, then the queue: a run is queued before it is logged, so every logged run finds its queue
        // entry (read the other way round, a run queued and started between the two reads had no trigger detail).
        var newest = pipelines.SelectMany(p => Newest(p, limit).Select(run => (Pipeline: p.Name, run.Record))).ToList();
        var queue = _store.Latest(limit * 4 + 100, only?.Name).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var views = newest.Select(n => View(n.Pipeline, n.Record, queue.GetValueOrDefault(n.Record.RunId))).ToList();
        var logged = newest.Select(n => n.Record.RunId).ToHashSet(StringComparer.Ordinal);

        // Queued runs, and attempts the engine refused before a run began, are in the queue only.
        views.AddRange(queue.Values.Where(q => !logged.Contains(q.Id) && q.Status is "queued" or "running" or "refused").Select(Queued));
        return views.OrderByDescending(v => v.Status == "queued").ThenByDescending(v => v.StartedAt ?? v.QueuedAt).Take(limit).ToList();
    }

    /// <summary>
    /// The pipeline's newest runs, newest first, each with its stages summed. A run that has ended is read once and
    /// kept: with thousands of runs of thousands of cells in the log, the dashboard, the trends and /metrics then read
    /// only what is new.
    /// </summary>
    public IReadOnlyList<CachedRun> Newest(ServedPipeline pipeline, int limit)
    {
        var path = RunLogPath(pipeline);
        if (!File.Exists(path))
        {
            return [];
        }

        using var reader = RunLogReader.Open(path)!;
        using var connection = ReadOnly(path);
        var ids = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT run_id FROM pipeline_run_log ORDER BY started_at DESC, run_id DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                ids.Add(rows.GetString(0));
            }
        }

        // Many runs not read yet (a first look at a long history): their stages in one pass over the cells.
        var missing = ids.Where(id => !_cache.ContainsKey((pipeline.Name, id))).ToList();
        var stages = missing.Count > ManyRuns ? Stages(connection, limit) : [];
        var runs = new List<CachedRun>();
        foreach (var id in ids)
        {
            if (!_cache.TryGetValue((pipeline.Name, id), out var run))
            {
                var record = reader.FindRuns(id).FirstOrDefault(r => r.RunId == id);
                if (record is null)
                {
                    continue;
                }

                run = new CachedRun(pipeline.Name, record, stages.TryGetValue(id, out var summed) ? summed : Stages(connection, id));
                if (run.Ended)
                {
                    _cache[(pipeline.Name, id)] = run;
                }
            }

            runs.Add(run);
        }

        return runs;
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

    /// <summary>Per stage over the last runs, oldest first: the milliseconds its cells that ran took in all, how many ran, the rows they read.</summary>
    public IReadOnlyList<object> Trends(ServedPipeline pipeline, int limit) =>
        Newest(pipeline, limit).Reverse().SelectMany(run => run.Stages.Select(stage => (object)new
        {
            runId = run.Record.RunId,
            startedAt = run.Record.StartedAt,
            status = run.Record.Status,
            stage = stage.Stage,
            durationMs = Math.Round(stage.DurationMs, 1),
            cellsRan = stage.CellsRan,
            rows = stage.Rows,
        })).ToList();

    public static SqliteConnection ReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>One run's stages summed from its cells, in the order the stages were decided.</summary>
    private static List<StageAggregate> Stages(SqliteConnection connection, string runId) =>
        ReadStages(connection, "WHERE run_id = $run", ("$run", runId)).GetValueOrDefault(runId) ?? [];

    /// <summary>The newest runs' stages, by run.</summary>
    private static Dictionary<string, List<StageAggregate>> Stages(SqliteConnection connection, int newest) =>
        ReadStages(connection, "WHERE run_id IN (SELECT run_id FROM pipeline_run_log ORDER BY started_at DESC, run_id DESC LIMIT $limit)", ("$limit", newest));

    private static Dictionary<string, List<StageAggregate>> ReadStages(SqliteConnection connection, string where, (string Name, object Value) parameter)
    {
        const string Ran = "decision = 'run' AND status IN ('succeeded', 'failed') AND duration_ms IS NOT NULL";
        var buckets = string.Join(", ", MetricsText.Buckets.Select(b => string.Create(CultureInfo.InvariantCulture, $"coalesce(sum({Ran} AND duration_ms <= {b * 1000}), 0)")));
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT run_id, stage, coalesce(sum({Ran}), 0), coalesce(sum(CASE WHEN {Ran} THEN duration_ms END), 0), coalesce(sum(attempt > 1), 0),
                   coalesce(sum(CASE WHEN status = 'succeeded' THEN rows_in END), 0), {buckets}
            FROM cell_run_log {where} GROUP BY run_id, stage ORDER BY run_id, min(rowid)
            """;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        using var reader = command.ExecuteReader();
        var runs = new Dictionary<string, List<StageAggregate>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var counts = Enumerable.Range(0, MetricsText.Buckets.Count).Select(i => reader.GetInt64(6 + i)).ToList();
            var run = reader.GetString(0);
            (runs.TryGetValue(run, out var stages) ? stages : runs[run] = []).Add(
                new StageAggregate(reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3), counts, reader.GetInt64(4), reader.GetInt64(5)));
        }

        return runs;
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
