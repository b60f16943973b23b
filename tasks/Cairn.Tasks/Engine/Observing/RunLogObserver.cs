using System.Diagnostics;
using System.Text.Json;
using Cairn.Engine.Runs;
using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>
/// Writes the run log (<c>.cairn/runs.db</c>) as the run goes: the run row as 'running' at the start (a run that
/// dies leaves it so, and readers report it crashed), every cell of a stage in one transaction when the stage is
/// decided, finished cells in batches, and the outcome at the end. Transactions stay short so concurrent runs on
/// one workspace wait for each other only briefly.
/// </summary>
internal sealed class RunLogObserver : IRunObserver, IDisposable
{
    // Finished cells are written in batches: a long stage still shows progress, a fast one costs few commits.
    private const int BatchSize = 256;
    private static readonly TimeSpan BatchAge = TimeSpan.FromSeconds(2);

    private readonly string _path;
    private readonly string _repositoryDirectory;
    private readonly Func<string, string?> _environment;
    private readonly Lock _gate = new();
    private readonly List<CellFinished> _finished = [];
    private readonly Stopwatch _sinceFlush = new();
    private SqliteConnection? _connection;

    public RunLogObserver(string databasePath, string repositoryDirectory, Func<string, string?> environment)
    {
        _path = databasePath;
        _repositoryDirectory = repositoryDirectory;
        _environment = environment;
    }

    public void OnRunStarted(RunStarted run)
    {
        lock (_gate)
        {
            _connection ??= RunLogDatabase.Open(_path);
            using var insert = _connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO pipeline_run_log
                    (run_id, pipeline, environment, target, arguments, triggered_by, status, started_at, tool_version, git_commit, pid, host, partitions)
                VALUES ($run, $pipeline, $environment, $target, $arguments, $by, 'running', $started, $tool, $commit, $pid, $host, $partitions)
                """;
            insert.Parameters.AddWithValue("$run", run.RunId);
            insert.Parameters.AddWithValue("$pipeline", run.Pipeline);
            insert.Parameters.AddWithValue("$environment", run.Environment);
            insert.Parameters.AddWithValue("$target", run.Target);
            insert.Parameters.AddWithValue("$arguments", JsonSerializer.Serialize(run.Arguments, RunLogJsonContext.Default.IReadOnlyDictionaryStringString));
            insert.Parameters.AddWithValue("$by", RunProvenance.TriggeredBy(_environment));
            insert.Parameters.AddWithValue("$started", RunLogTime.Format(run.StartedAt));
            insert.Parameters.AddWithValue("$tool", run.ToolVersion);
            insert.Parameters.AddWithValue("$commit", (object?)RunProvenance.GitCommit(_repositoryDirectory, _environment) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$pid", Environment.ProcessId);
            insert.Parameters.AddWithValue("$host", Environment.MachineName);
            insert.Parameters.AddWithValue("$partitions", run.Partitions.Count);
            insert.ExecuteNonQuery();
        }
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
        lock (_gate)
        {
            var connection = Connection();
            using var transaction = connection.BeginTransaction(deferred: false);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT OR REPLACE INTO cell_run_log (run_id, stage, partition, attempt, decision, reason, status, fingerprint)
                VALUES ($run, $stage, $partition, 1, $decision, $reason, $status, $fingerprint)
                """;
            var partition = insert.Parameters.Add("$partition", SqliteType.Text);
            var decision = insert.Parameters.Add("$decision", SqliteType.Text);
            var reason = insert.Parameters.Add("$reason", SqliteType.Text);
            var status = insert.Parameters.Add("$status", SqliteType.Text);
            var fingerprint = insert.Parameters.Add("$fingerprint", SqliteType.Text);
            insert.Parameters.AddWithValue("$run", runId);
            insert.Parameters.AddWithValue("$stage", stage);
            insert.Prepare();
            foreach (var cell in decisions)
            {
                partition.Value = cell.Cell.Partition ?? string.Empty;
                decision.Value = cell.Decision.Run ? "run" : "skip";
                reason.Value = cell.Decision.Reason;
                status.Value = cell.Decision.Run ? "pending" : "skipped";
                fingerprint.Value = cell.Fingerprint;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public void OnCellFinished(CellFinished cell)
    {
        lock (_gate)
        {
            if (_finished.Count == 0)
            {
                _sinceFlush.Restart();
            }

            _finished.Add(cell);
            if (!cell.Succeeded || _finished.Count >= BatchSize || _sinceFlush.Elapsed >= BatchAge)
            {
                Flush();
            }
        }
    }

    public void OnStageFinished(string runId, StageResult result)
    {
        lock (_gate)
        {
            Flush();
        }
    }

    public void OnRunFinished(RunFinished run)
    {
        lock (_gate)
        {
            Flush();
            using var update = Connection().CreateCommand();
            update.CommandText = """
                UPDATE pipeline_run_log SET status = $status, finished_at = $finished, duration_ms = $duration, failure = $failure
                WHERE run_id = $run
                """;
            update.Parameters.AddWithValue("$run", run.RunId);
            update.Parameters.AddWithValue("$status", run.Status);
            update.Parameters.AddWithValue("$finished", RunLogTime.Format(run.FinishedAt));
            update.Parameters.AddWithValue("$duration", Math.Round((run.FinishedAt - run.StartedAt).TotalMilliseconds, 3));
            update.Parameters.AddWithValue("$failure", (object?)run.Failure ?? DBNull.Value);
            update.ExecuteNonQuery();
            Close();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    private SqliteConnection Connection() =>
        _connection ?? throw new InvalidOperationException("The run log was not opened: OnRunStarted did not run or failed.");

    /// <summary>Writes the finished cells in one transaction; a retried attempt becomes a row of its own.</summary>
    private void Flush()
    {
        if (_finished.Count == 0)
        {
            return;
        }

        var connection = Connection();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO cell_run_log
                (run_id, stage, partition, attempt, decision, reason, status, started_at, finished_at, duration_ms,
                 rows_in, rows_out, rows_quarantined, metrics, fingerprint)
            VALUES ($run, $stage, $partition, $attempt, 'run', $reason, $status, $started, $finished, $duration,
                    $rowsIn, $rowsOut, $rowsQuarantined, $metrics, $fingerprint)
            ON CONFLICT (run_id, stage, partition, attempt) DO UPDATE SET
                status = excluded.status, started_at = excluded.started_at, finished_at = excluded.finished_at,
                duration_ms = excluded.duration_ms, rows_in = excluded.rows_in, rows_out = excluded.rows_out,
                rows_quarantined = excluded.rows_quarantined, metrics = excluded.metrics
            """;
        foreach (var cell in _finished)
        {
            upsert.Parameters.Clear();
            upsert.Parameters.AddWithValue("$run", cell.RunId);
            upsert.Parameters.AddWithValue("$stage", cell.Stage);
            upsert.Parameters.AddWithValue("$partition", cell.Partition ?? string.Empty);
            upsert.Parameters.AddWithValue("$attempt", cell.Attempt);
            upsert.Parameters.AddWithValue("$reason", cell.Reason);
            upsert.Parameters.AddWithValue("$status", cell.Succeeded ? "succeeded" : "failed");
            upsert.Parameters.AddWithValue("$started", RunLogTime.Format(cell.StartedAt));
            upsert.Parameters.AddWithValue("$finished", RunLogTime.Format(cell.FinishedAt));
            upsert.Parameters.AddWithValue("$duration", Math.Round((cell.FinishedAt - cell.StartedAt).TotalMilliseconds, 3));
            upsert.Parameters.AddWithValue("$rowsIn", Rows(cell.Metrics, "RowsIn", "Rows"));
            upsert.Parameters.AddWithValue("$rowsOut", Rows(cell.Metrics, "RowsOut"));
            upsert.Parameters.AddWithValue("$rowsQuarantined", Rows(cell.Metrics, "RowsQuarantined"));
            upsert.Parameters.AddWithValue("$metrics", JsonSerializer.Serialize(cell.Metrics, RunLogJsonContext.Default.IReadOnlyDictionaryStringDouble));
            upsert.Parameters.AddWithValue("$fingerprint", cell.Fingerprint);
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
        _finished.Clear();
    }

    /// <summary>The first of the named metrics the cell reported, as a row count; NULL when it reported none of them.</summary>
    private static object Rows(IReadOnlyDictionary<string, double> metrics, params string[] names)
    {
        foreach (var name in names)
        {
            if (metrics.TryGetValue(name, out var value))
            {
                return (long)Math.Round(value);
            }
        }

        return DBNull.Value;
    }

    private void Close()
    {
        _connection?.Dispose();
        _connection = null;
    }
}
