using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>
/// Writes the run log (<c>.cairn/runs.db</c>) as the run goes: the run row as 'running' at the start (a run that
/// dies leaves it so, and readers report it crashed), a stage's decision in one transaction when the stage is
/// decided (a row per cell that runs, one for the stage's skipped cells), finished cells in batches, and the
/// outcome at the end. The writing happens on a thread of its own, so
/// opening the database (and loading SQLite, on a cold start) overlaps the run's own work instead of delaying it;
/// the run's end waits until everything is written. Transactions stay short so concurrent runs on one workspace
/// wait for each other only briefly.
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
    private readonly BlockingCollection<Action<SqliteConnection>> _writes = [];
    private Thread? _writer;
    private ExceptionDispatchInfo? _writeFailure;
    private volatile string? _damage;

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
            _writer ??= StartWriter();
            var arguments = JsonSerializer.Serialize(run.Arguments, RunLogJsonContext.Default.IReadOnlyDictionaryStringString);
            var overrides = JsonSerializer.Serialize(new SortedDictionary<string, string>(run.ParameterOverrides.ToDictionary(), StringComparer.Ordinal), RunLogJsonContext.Default.SortedDictionaryStringString);
            _writes.Add(connection =>
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO pipeline_run_log
                        (run_id, pipeline, environment, target, arguments, triggered_by, status, started_at, tool_version, git_commit, pid, host, partitions, parameter_overrides)
                    VALUES ($run, $pipeline, $environment, $target, $arguments, $by, 'running', $started, $tool, $commit, $pid, $host, $partitions, $overrides)
                    """;
                insert.Parameters.AddWithValue("$run", run.RunId);
                insert.Parameters.AddWithValue("$pipeline", run.Pipeline);
                insert.Parameters.AddWithValue("$environment", run.Environment);
                insert.Parameters.AddWithValue("$target", run.Target);
                insert.Parameters.AddWithValue("$arguments", arguments);
                insert.Parameters.AddWithValue("$by", RunProvenance.TriggeredBy(_environment));
                insert.Parameters.AddWithValue("$started", RunLogTime.Format(run.StartedAt));
                insert.Parameters.AddWithValue("$tool", run.ToolVersion);
                insert.Parameters.AddWithValue("$commit", (object?)RunProvenance.GitCommit(_repositoryDirectory, _environment) ?? DBNull.Value);
                insert.Parameters.AddWithValue("$pid", Environment.ProcessId);
                insert.Parameters.AddWithValue("$host", Environment.MachineName);
                insert.Parameters.AddWithValue("$partitions", run.Partitions.Count);
                insert.Parameters.AddWithValue("$overrides", overrides);
                insert.ExecuteNonQuery();
            });
        }
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
        var rows = StageDecisionRows.Of(runId, stage, decisions);
        lock (_gate)
        {
            Enqueue(rows.Write);
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
            Enqueue(connection =>
            {
                using var update = connection.CreateCommand();
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
            });
            Drain();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_writer is not null && !_writes.IsAddingCompleted)
            {
                _writes.CompleteAdding();
                _writer.Join();
            }

            _writes.Dispose();
        }
    }

    private Thread StartWriter()
    {
        var writer = new Thread(Write) { IsBackground = true, Name = "Cairn run log" };
        writer.Start();
        return writer;
    }

    private void Enqueue(Action<SqliteConnection> write)
    {
        if (_writer is null)
        {
            throw new InvalidOperationException("The run log was not opened: OnRunStarted did not run.");
        }

        _writes.Add(write);
    }

    /// <summary>Waits until everything queued is written; a write that failed fails here, naming the database.</summary>
    private void Drain()
    {
        _writes.CompleteAdding();
        _writer?.Join();
        _writeFailure?.Throw();
        if (_damage is { } damage)
        {
            throw new ObserverWarningException(damage);
        }
    }

    /// <summary>
    /// The writer thread: opens the database, then writes each queued change in order. A database SQLite finds damaged
    /// (at the start or any later write) is moved aside, kept for recovery, and a new one takes this run's changes from
    /// the start; the run's end says so. After any other failure it stops writing and keeps the first error for the run's end.
    /// </summary>
    private void Write()
    {
        SqliteConnection? connection = null;
        var written = new List<Action<SqliteConnection>>();
        try
        {
            try
            {
                connection = RunLogDatabase.Open(_path);
            }
            catch (SqliteException e) when (RunLogDatabase.IsDamage(e) && _damage is null)
            {
                connection = StartAnew(e);
            }

            foreach (var write in _writes.GetConsumingEnumerable())
            {
                try
                {
                    write(connection);
                }
                catch (SqliteException e) when (RunLogDatabase.IsDamage(e) && _damage is null)
                {
                    connection.Dispose();
                    connection = StartAnew(e);
                    foreach (var earlier in written)
                    {
                        earlier(connection);
                    }

                    write(connection);
                }

                written.Add(write);
            }
        }
#pragma warning disable CA1031 // This thread is the observer's own: an exception escaping it would end the process, and a run log must never fail the run it observes. The error is kept and reported as a warning at the run's end.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _writeFailure = ExceptionDispatchInfo.Capture(new InvalidOperationException($"the run log {_path} could not be written: {e.Message}", e));
            foreach (var _ in _writes.GetConsumingEnumerable())
            {
                // Drop what is left: the run goes on without its log.
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Moves the damaged log aside and opens a new one; the warning for the run's end says where the old one is.</summary>
    private SqliteConnection StartAnew(SqliteException damage)
    {
        var aside = RunLogDatabase.MoveAside(_path);
        _damage = $"the run log {_path} is damaged ({damage.Message}); it is kept as {aside} for recovery, and a new run log starts with this run";
        return RunLogDatabase.Open(_path);
    }

    /// <summary>Queues the finished cells as one transaction (<see cref="FinishedCellRows"/>).</summary>
    private void Flush()
    {
        if (_finished.Count == 0)
        {
            return;
        }

        var batch = new FinishedCellRows(_finished);
        _finished.Clear();
        Enqueue(batch.Write);
    }
}
