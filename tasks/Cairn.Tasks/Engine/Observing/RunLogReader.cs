using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>Reads a workspace's run log for History and Health; a run left 'running' by a process that is gone reads as crashed.</summary>
internal sealed class RunLogReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Func<int, DateTimeOffset?> _processStartedAt;

    private RunLogReader(SqliteConnection connection, Func<int, DateTimeOffset?> processStartedAt)
    {
        _connection = connection;
        _processStartedAt = processStartedAt;
    }

    /// <returns>The reader, or null when no run has been logged in the workspace yet.</returns>
    public static RunLogReader? Open(string databasePath, Func<int, DateTimeOffset?>? processStartedAt = null) =>
        File.Exists(databasePath) ? new RunLogReader(RunLogDatabase.Open(databasePath), processStartedAt ?? ProcessStartedAt) : null;

    /// <summary>The last runs, newest first.</summary>
    public IReadOnlyList<RunRecord> Runs(int limit) => ReadRuns("ORDER BY started_at DESC, run_id DESC LIMIT $limit", ("$limit", limit));

    /// <summary>The runs whose id is or starts with the given text (a unique prefix names one run).</summary>
    public IReadOnlyList<RunRecord> FindRuns(string idOrPrefix)
    {
        var exact = ReadRuns("WHERE run_id = $id", ("$id", idOrPrefix));
        return exact.Count > 0
            ? exact
            : ReadRuns("WHERE substr(run_id, 1, length($id)) = $id ORDER BY started_at DESC LIMIT 10", ("$id", idOrPrefix));
    }

    /// <summary>
    /// A run's cells stage by stage in the order they were decided, each attempt a row. A run that logged its skipped
    /// cells per stage has them back as the partitions of the stage's set without a row of their own.
    /// </summary>
    public IReadOnlyList<CellRecord> Cells(string runId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT stage, partition, attempt, decision, reason, status, started_at, finished_at, duration_ms,
                   rows_in, rows_out, rows_quarantined, metrics, fingerprint, restored_from
            FROM cell_run_log WHERE run_id = $run ORDER BY rowid
            """;
        command.Parameters.AddWithValue("$run", runId);
        var rows = new List<CellRecord>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(new CellRecord(
                    reader.GetString(0),
                    reader.GetString(1) is { Length: > 0 } partition ? partition : null,
                    reader.GetInt32(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    RunLogTime.Parse(Text(reader, 6)),
                    RunLogTime.Parse(Text(reader, 7)),
                    reader.IsDBNull(8) ? null : reader.GetDouble(8),
                    reader.IsDBNull(9) ? null : reader.GetInt64(9),
                    reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    reader.IsDBNull(11) ? null : reader.GetInt64(11),
                    Text(reader, 12),
                    reader.GetString(13))
                {
                    RestoredFrom = Text(reader, 14),
                });
            }
        }

        var stages = StageSets(runId);
        return stages.Count == 0 ? rows : StageCells.Merge(stages, rows);
    }

    /// <summary>Each stage over the last <paramref name="lastRuns"/> runs, in the order stages first appear.</summary>
    public IReadOnlyList<StageHealth> Health(int lastRuns)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            WITH recent AS (SELECT run_id FROM pipeline_run_log ORDER BY started_at DESC, run_id DESC LIMIT $limit)
            SELECT c.stage, c.run_id, c.partition, c.attempt, c.decision, c.status, c.duration_ms, c.rows_in, c.restored_from
            FROM cell_run_log c JOIN recent r ON r.run_id = c.run_id
            ORDER BY c.rowid
            """;
        command.Parameters.AddWithValue("$limit", lastRuns);
        var stages = new Dictionary<string, Dictionary<string, Dictionary<string, (int Attempt, string Decision, string Status)>>>(StringComparer.Ordinal);
        // A stage a run logged per stage took part in it even when every cell was skipped (no row of its own).
        using (var decided = _connection.CreateCommand())
        {
            decided.CommandText = """
                WITH recent AS (SELECT run_id FROM pipeline_run_log ORDER BY started_at DESC, run_id DESC LIMIT $limit)
                SELECT t.stage, t.run_id FROM stage_run_log t JOIN recent r ON r.run_id = t.run_id ORDER BY t.rowid
                """;
            decided.Parameters.AddWithValue("$limit", lastRuns);
            using var reader = decided.ExecuteReader();
            while (reader.Read())
            {
                var cells = stages.TryGetValue(reader.GetString(0), out var known) ? known : stages[reader.GetString(0)] = new(StringComparer.Ordinal);
                cells.TryAdd(reader.GetString(1), new(StringComparer.Ordinal));
            }
        }

        var durations = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var retries = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var restored = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var stage = reader.GetString(0);
                var cells = stages.TryGetValue(stage, out var known) ? known : stages[stage] = new(StringComparer.Ordinal);
                var runCells = cells.TryGetValue(reader.GetString(1), out var inRun) ? inRun : cells[reader.GetString(1)] = new(StringComparer.Ordinal);
                var partition = reader.GetString(2);
                var attempt = reader.GetInt32(3);
                var status = reader.GetString(5);
                // The last attempt of a cell decides whether it ended well.
                if (!runCells.TryGetValue(partition, out var seen) || attempt >= seen.Attempt)
                {
                    runCells[partition] = (attempt, reader.GetString(4), status);
                }

                if (attempt > 1)
                {
                    retries[stage] = retries.GetValueOrDefault(stage) + 1;
                }

                if (!reader.IsDBNull(8))
                {
                    // Restored, not run: its time is a download's, and it read no rows here.
                    restored[stage] = restored.GetValueOrDefault(stage) + 1;
                    continue;
                }

                if (!reader.IsDBNull(6) && status is "succeeded" or "failed")
                {
                    (durations.TryGetValue(stage, out var list) ? list : durations[stage] = []).Add(reader.GetDouble(6));
                }

                if (!reader.IsDBNull(7) && status == "succeeded")
                {
                    rows[stage] = rows.GetValueOrDefault(stage) + reader.GetInt64(7);
                }
            }
        }

        var health = new List<StageHealth>();
        foreach (var (stage, runs) in stages)
        {
            var ran = runs.Values.Where(cells => cells.Values.Any(c => c.Decision == "run")).ToList();
            var succeeded = ran.Count(cells => cells.Values.All(c => c.Status is "succeeded" or "skipped"));
            var times = durations.GetValueOrDefault(stage) ?? [];
            times.Sort();
            health.Add(new StageHealth(
                stage,
                runs.Count,
                ran.Count,
                succeeded,
                times.Count,
                times.Count == 0 ? null : times.Average(),
                times.Count == 0 ? null : Percentile(times, 0.95),
                retries.GetValueOrDefault(stage),
                rows.GetValueOrDefault(stage))
            {
                CellsRestored = restored.GetValueOrDefault(stage),
            });
        }

        return health;
    }

    /// <summary>
    /// The rows the cells of the last <paramref name="lastRuns"/> runs read (each cell's RowsIn metric, else Rows),
    /// summed over the cells that ran and succeeded: a row read by three stages counts three times.
    /// </summary>
    public long RowsRead(int lastRuns)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            WITH recent AS (SELECT run_id FROM pipeline_run_log ORDER BY started_at DESC, run_id DESC LIMIT $limit)
            SELECT coalesce(sum(c.rows_in), 0)
            FROM cell_run_log c JOIN recent r ON r.run_id = c.run_id
            WHERE c.decision = 'run' AND c.status = 'succeeded' AND c.restored_from IS NULL
            """;
        command.Parameters.AddWithValue("$limit", lastRuns);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The stages a run logged per stage, in the order decided, each with the partitions it decided.</summary>
    private List<(string Stage, List<string> Partitions)> StageSets(string runId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT t.stage, p.partitions FROM stage_run_log t JOIN partition_set p ON p.id = t.partition_set
            WHERE t.run_id = $run ORDER BY t.rowid
            """;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var stages = new List<(string, List<string>)>();
        while (reader.Read())
        {
            stages.Add((reader.GetString(0), JsonSerializer.Deserialize(reader.GetString(1), RunLogJsonContext.Default.ListString) ?? []));
        }

        return stages;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(List<double> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>
    /// A run still marked 'running' is crashed when it was started on this machine by a process that is gone, or
    /// whose id now belongs to a process started after the run; incomplete when the row predates the recorded pid.
    /// A run from another machine cannot be checked from here and stays 'running'.
    /// </summary>
    internal static string EffectiveStatus(string status, long? pid, string? host, DateTimeOffset startedAt, Func<int, DateTimeOffset?> processStartedAt)
    {
        if (status != "running")
        {
            return status;
        }

        if (pid is null || host is null)
        {
            return "incomplete";
        }

        if (!string.Equals(host, Environment.MachineName, StringComparison.Ordinal))
        {
            return status;
        }

        var started = processStartedAt((int)pid.Value);
        return started is { } processStart && processStart <= startedAt.AddSeconds(1) ? status : "crashed";
    }

    internal static DateTimeOffset? ProcessStartedAt(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private List<RunRecord> ReadRuns(string where, (string Name, object Value) parameter)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"""
            WITH selected AS (SELECT * FROM pipeline_run_log {where}),
            cells AS (
                SELECT c.run_id,
                       sum(c.attempt = 1) AS cells,
                       sum(c.attempt = 1 AND c.decision = 'run' AND c.status <> 'pending' AND c.restored_from IS NULL) AS ran,
                       sum(c.attempt = 1 AND c.decision = 'run' AND c.restored_from IS NOT NULL) AS restored,
                       sum(c.attempt = 1 AND c.decision = 'skip') AS skipped,
                       sum(c.status = 'failed' AND NOT EXISTS (
                           SELECT 1 FROM cell_run_log later WHERE later.run_id = c.run_id AND later.stage = c.stage
                           AND later.partition = c.partition AND later.attempt > c.attempt)) AS failed
                FROM cell_run_log c JOIN selected s ON s.run_id = c.run_id GROUP BY c.run_id),
            stages AS (
                SELECT t.run_id, sum(t.skipped) AS skipped
                FROM stage_run_log t JOIN selected s ON s.run_id = t.run_id GROUP BY t.run_id)
            SELECT s.run_id, s.pipeline, s.environment, s.target, s.arguments, s.triggered_by, s.status, s.started_at,
                   s.finished_at, s.duration_ms, s.tool_version, s.git_commit, s.failure, s.pid, s.host, s.parameter_overrides,
                   coalesce(c.cells, 0) + coalesce(t.skipped, 0),
                   coalesce(c.ran, 0),
                   coalesce(c.skipped, 0) + coalesce(t.skipped, 0),
                   coalesce(c.failed, 0),
                   coalesce(c.restored, 0)
            FROM selected s LEFT JOIN cells c ON c.run_id = s.run_id LEFT JOIN stages t ON t.run_id = s.run_id
            ORDER BY s.started_at DESC, s.run_id DESC
            """;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        using var reader = command.ExecuteReader();
        var runs = new List<RunRecord>();
        while (reader.Read())
        {
            var started = RunLogTime.Parse(reader.GetString(7)) ?? DateTimeOffset.MinValue;
            long? pid = reader.IsDBNull(13) ? null : reader.GetInt64(13);
            runs.Add(new RunRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                EffectiveStatus(reader.GetString(6), pid, Text(reader, 14), started, _processStartedAt),
                started,
                RunLogTime.Parse(Text(reader, 8)),
                reader.IsDBNull(9) ? null : reader.GetDouble(9),
                reader.GetString(10),
                Text(reader, 11),
                Text(reader, 12),
                Convert.ToInt32(reader.GetValue(16), CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(17), CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(18), CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(19), CultureInfo.InvariantCulture))
            {
                Restored = Convert.ToInt32(reader.GetValue(20), CultureInfo.InvariantCulture),
                ParameterOverrides = Text(reader, 15) is { } overrides
                    ? JsonSerializer.Deserialize(overrides, RunLogJsonContext.Default.SortedDictionaryStringString) ?? []
                    : new Dictionary<string, string>(),
            });
        }

        return runs;
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
