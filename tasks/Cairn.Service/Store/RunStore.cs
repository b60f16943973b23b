using System.Globalization;
using System.Text.Json;
using Cairn.Engine.Observing;
using Cairn.Service.Pipelines;
using Cairn.Service.Runs;
using Microsoft.Data.Sqlite;

namespace Cairn.Service.Store;

/// <summary>
/// Cairn's tables in <c>.cairn/scheduler.db</c>: the run queue (every attempt, with the trigger that caused it), the
/// landing zone as last seen, the schedules as last read and the pause state of schedules Quartz does not hold. One
/// connection, used by one thread at a time; every change commits at once, so a killed service loses none.
/// </summary>
internal sealed class RunStore : IDisposable
{
    private const string Columns = """
        id, first_id, pipeline, target, trigger, detail, from_day, to_day, arguments, token, attempt, max_attempts,
        retry_delay_ms, retry_max_ms, status, created_at, not_before, started_at, finished_at, failure, retried_by
        """;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public RunStore(string path, TimeProvider time)
    {
        _connection = SchedulerDatabase.Open(path);
        _time = time;
    }

    /// <summary>A new run id, in the form the engine makes them: the time, this process, four random hex digits.</summary>
    public string NewRunId() =>
        string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}");

    /// <summary>
    /// Queues a run, or merges it into a queued first attempt of the same pipeline, target and arguments (the
    /// partitions become the range covering both): a trigger that arrives while another waits never runs twice.
    /// A request with a run token is never merged.
    /// </summary>
    /// <returns>The queued run, and whether it was merged into one already waiting.</returns>
    /// <exception cref="DuplicateTokenException">The token was used before.</exception>
    public (QueuedRun Run, bool Merged) Enqueue(RunRequest request)
    {
        var arguments = JsonSerializer.Serialize(request.Arguments);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            if (request.Token is { } token && Single("WHERE token = $token", transaction, ("$token", token)) is { } used)
            {
                throw new DuplicateTokenException(token, used.Id);
            }

            if (request.Token is null
                && Single("WHERE pipeline = $pipeline AND target = $target AND arguments = $arguments AND status = 'queued' AND attempt = 1 AND token IS NULL AND id = first_id ORDER BY seq LIMIT 1", transaction, ("$pipeline", request.Pipeline), ("$target", request.Target), ("$arguments", arguments)) is { } waiting
                && waiting.Partitions.Union(request.Partitions, request.Scheme) is { } partitions)
            {
                var detail = waiting.Partitions.Covers(request.Partitions, request.Scheme) && waiting.Trigger == request.Trigger
                    ? waiting.Detail
                    : Clip($"{waiting.Detail}; then {request.Trigger}: {request.Detail}");
                using var merge = Command("UPDATE cairn_runs SET from_day = $from, to_day = $to, detail = $detail WHERE id = $id", transaction);
                merge.Parameters.AddWithValue("$from", Key(partitions.From));
                merge.Parameters.AddWithValue("$to", Key(partitions.To));
                merge.Parameters.AddWithValue("$detail", detail);
                merge.Parameters.AddWithValue("$id", waiting.Id);
                merge.ExecuteNonQuery();
                transaction.Commit();
                return (waiting with { Partitions = partitions, Detail = detail }, true);
            }

            var now = _time.GetUtcNow();
            var id = NewRunId();
            var run = new QueuedRun(id, id, request.Pipeline, request.Target, request.Trigger, request.Detail, request.Partitions, request.Arguments, request.Token,
                1, request.Retry.Attempts, request.Retry.Delay, request.Retry.MaxDelay, "queued", now, now, null, null, null, null);
            Insert(run, arguments, transaction);
            transaction.Commit();
            return (run, false);
        }
    }

    /// <summary>
    /// Queues the next attempt of a run (a retry, or the same attempt again after a crash or a stop) and links the
    /// earlier one to it.
    /// </summary>
    public QueuedRun QueueFollowUp(QueuedRun previous, int attempt, TimeSpan delay, string detail)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var now = _time.GetUtcNow();
            var next = previous with
            {
                Id = NewRunId(),
                Attempt = attempt,
                Detail = Clip(detail),
                Status = "queued",
                Token = null,
                CreatedAt = now,
                NotBefore = now + delay,
                StartedAt = null,
                FinishedAt = null,
                Failure = null,
                RetriedBy = null,
            };
            Insert(next, JsonSerializer.Serialize(previous.Arguments), transaction);
            using var link = Command("UPDATE cairn_runs SET retried_by = $next WHERE id = $id", transaction);
            link.Parameters.AddWithValue("$next", next.Id);
            link.Parameters.AddWithValue("$id", previous.Id);
            link.ExecuteNonQuery();
            transaction.Commit();
            return next;
        }
    }

    /// <summary>The oldest queued run of the pipeline that may start now; and when the next one may, if none can.</summary>
    public (QueuedRun? Ready, DateTimeOffset? NextAt) NextReady(string pipeline)
    {
        lock (_gate)
        {
            var queued = Many("WHERE pipeline = $pipeline AND status = 'queued' ORDER BY seq", ("$pipeline", pipeline));
            var now = _time.GetUtcNow();
            var ready = queued.FirstOrDefault(r => r.NotBefore <= now);
            return (ready, ready is null && queued.Count > 0 ? queued.Min(r => r.NotBefore) : null);
        }
    }

    public QueuedRun MarkRunning(QueuedRun run)
    {
        var now = _time.GetUtcNow();
        Update("UPDATE cairn_runs SET status = 'running', started_at = $at WHERE id = $id", ("$at", RunLogTime.Format(now)), ("$id", run.Id));
        return run with { Status = "running", StartedAt = now };
    }

    public QueuedRun Finish(QueuedRun run, string status, string? failure)
    {
        var now = _time.GetUtcNow();
        Update(
            "UPDATE cairn_runs SET status = $status, finished_at = $at, failure = $failure WHERE id = $id",
            ("$status", status),
            ("$at", RunLogTime.Format(now)),
            ("$failure", (object?)failure ?? DBNull.Value),
            ("$id", run.Id));
        return run with { Status = status, FinishedAt = now, Failure = failure };
    }

    /// <summary>Runs a dead service left 'running': each is marked crashed and queued again (same attempt), oldest first.</summary>
    public IReadOnlyList<(QueuedRun Crashed, QueuedRun Again)> RecoverInterrupted()
    {
        List<QueuedRun> running;
        lock (_gate)
        {
            running = Many("WHERE status = 'running' ORDER BY seq");
        }

        var recovered = new List<(QueuedRun, QueuedRun)>();
        foreach (var run in running)
        {
            var crashed = Finish(run, "crashed", "the service stopped while this run ran (killed, or the machine went down); its run reads as crashed in the run log, and it is queued again");
            recovered.Add((crashed, QueueFollowUp(crashed, run.Attempt, TimeSpan.Zero, $"{run.Detail} (again after run {run.Id} crashed)")));
        }

        return recovered;
    }

    public QueuedRun? Find(string id)
    {
        lock (_gate)
        {
            return Single("WHERE id = $id", null, ("$id", id));
        }
    }

    /// <summary>The newest attempts, newest first, of one pipeline or all.</summary>
    public IReadOnlyList<QueuedRun> Latest(int limit, string? pipeline = null)
    {
        lock (_gate)
        {
            return pipeline is null
                ? Many("ORDER BY seq DESC LIMIT $limit", ("$limit", limit))
                : Many("WHERE pipeline = $pipeline ORDER BY seq DESC LIMIT $limit", ("$pipeline", pipeline), ("$limit", limit));
        }
    }

    /// <summary>Every attempt of the run a first attempt began, in order.</summary>
    public IReadOnlyList<QueuedRun> Chain(string firstId)
    {
        lock (_gate)
        {
            return Many("WHERE first_id = $first ORDER BY seq", ("$first", firstId));
        }
    }

    public IReadOnlyList<QueuedRun> Queued()
    {
        lock (_gate)
        {
            return Many("WHERE status IN ('queued', 'running') ORDER BY seq");
        }
    }

    /// <summary>Attempts after the first (retries), per pipeline.</summary>
    public IReadOnlyDictionary<string, long> Retries()
    {
        lock (_gate)
        {
            using var command = Command("SELECT pipeline, count(DISTINCT first_id || ':' || attempt) FROM cairn_runs WHERE attempt > 1 GROUP BY pipeline");
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }
    }

    public bool IsPaused(string pipeline, string schedule)
    {
        lock (_gate)
        {
            using var command = Command("SELECT count(*) FROM cairn_paused_schedules WHERE pipeline = $pipeline AND name = $name");
            command.Parameters.AddWithValue("$pipeline", pipeline);
            command.Parameters.AddWithValue("$name", schedule);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
        }
    }

    public void SetPaused(string pipeline, string schedule, bool paused) => Update(
        paused
            ? "INSERT OR IGNORE INTO cairn_paused_schedules (pipeline, name, paused_at) VALUES ($pipeline, $name, $at)"
            : "DELETE FROM cairn_paused_schedules WHERE pipeline = $pipeline AND name = $name",
        ("$pipeline", pipeline),
        ("$name", schedule),
        ("$at", RunLogTime.Format(_time.GetUtcNow())));

    /// <summary>The schedules of a pipeline as last read (name → canonical text), to say what changed.</summary>
    public IReadOnlyDictionary<string, string> Schedules(string pipeline)
    {
        lock (_gate)
        {
            using var command = Command("SELECT name, definition FROM cairn_schedules WHERE pipeline = $pipeline");
            command.Parameters.AddWithValue("$pipeline", pipeline);
            var schedules = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                schedules[reader.GetString(0)] = reader.GetString(1);
            }

            return schedules;
        }
    }

    public void SaveSchedules(string pipeline, IReadOnlyDictionary<string, string> schedules)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var clear = Command("DELETE FROM cairn_schedules WHERE pipeline = $pipeline", transaction))
            {
                clear.Parameters.AddWithValue("$pipeline", pipeline);
                clear.ExecuteNonQuery();
            }

            foreach (var (name, definition) in schedules)
            {
                using var insert = Command("INSERT INTO cairn_schedules (pipeline, name, definition) VALUES ($pipeline, $name, $definition)", transaction);
                insert.Parameters.AddWithValue("$pipeline", pipeline);
                insert.Parameters.AddWithValue("$name", name);
                insert.Parameters.AddWithValue("$definition", definition);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>The landing zone's files as last seen (relative path → length and modification time), or null when never seen.</summary>
    public Dictionary<string, (long Length, long Modified)>? LandingFiles(string pipeline)
    {
        lock (_gate)
        {
            using var seen = Command("SELECT count(*) FROM cairn_schedules WHERE pipeline = $pipeline AND name = '.landing'");
            seen.Parameters.AddWithValue("$pipeline", pipeline);
            if (Convert.ToInt64(seen.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }

            using var command = Command("SELECT path, length, modified FROM cairn_landing_files WHERE pipeline = $pipeline");
            command.Parameters.AddWithValue("$pipeline", pipeline);
            var files = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                files[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            }

            return files;
        }
    }

    public void SaveLandingFiles(string pipeline, IReadOnlyDictionary<string, (long Length, long Modified)> files)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var clear = Command("DELETE FROM cairn_landing_files WHERE pipeline = $pipeline", transaction))
            {
                clear.Parameters.AddWithValue("$pipeline", pipeline);
                clear.ExecuteNonQuery();
            }

            using var insert = Command("INSERT INTO cairn_landing_files (pipeline, path, length, modified) VALUES ($pipeline, $path, $length, $modified)", transaction);
            var path = insert.Parameters.Add("$path", SqliteType.Text);
            var length = insert.Parameters.Add("$length", SqliteType.Integer);
            var modified = insert.Parameters.Add("$modified", SqliteType.Integer);
            insert.Parameters.AddWithValue("$pipeline", pipeline);
            foreach (var (file, (size, time)) in files)
            {
                path.Value = file;
                length.Value = size;
                modified.Value = time;
                insert.ExecuteNonQuery();
            }

            // A marker row says the landing zone was seen, even empty: an empty landing zone is not a first start.
            using var marker = Command("INSERT OR REPLACE INTO cairn_schedules (pipeline, name, definition) VALUES ($pipeline, '.landing', '')", transaction);
            marker.Parameters.AddWithValue("$pipeline", pipeline);
            marker.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public void Dispose() => _connection.Dispose();

    private static string Clip(string text) => text.Length <= 1000 ? text : text[..997] + "…";

    // The columns keep their first names (from_day, to_day): they hold a partition key of the pipeline's grain.
    private static object Key(string? key) => (object?)key ?? DBNull.Value;

    private static string? ReadKey(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? ReadTime(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : RunLogTime.Parse(reader.GetString(ordinal));

    private void Insert(QueuedRun run, string arguments, SqliteTransaction transaction)
    {
        using var insert = Command($"INSERT INTO cairn_runs ({Columns}) VALUES ($id, $first, $pipeline, $target, $trigger, $detail, $from, $to, $arguments, $token, $attempt, $max, $delay, $maxDelay, $status, $created, $notBefore, NULL, NULL, NULL, NULL)", transaction);
        insert.Parameters.AddWithValue("$id", run.Id);
        insert.Parameters.AddWithValue("$first", run.FirstId);
        insert.Parameters.AddWithValue("$pipeline", run.Pipeline);
        insert.Parameters.AddWithValue("$target", run.Target);
        insert.Parameters.AddWithValue("$trigger", run.Trigger);
        insert.Parameters.AddWithValue("$detail", run.Detail);
        insert.Parameters.AddWithValue("$from", Key(run.Partitions.From));
        insert.Parameters.AddWithValue("$to", Key(run.Partitions.To));
        insert.Parameters.AddWithValue("$arguments", arguments);
        insert.Parameters.AddWithValue("$token", (object?)run.Token ?? DBNull.Value);
        insert.Parameters.AddWithValue("$attempt", run.Attempt);
        insert.Parameters.AddWithValue("$max", run.MaxAttempts);
        insert.Parameters.AddWithValue("$delay", (long)run.RetryDelay.TotalMilliseconds);
        insert.Parameters.AddWithValue("$maxDelay", (long)run.RetryMaxDelay.TotalMilliseconds);
        insert.Parameters.AddWithValue("$status", run.Status);
        insert.Parameters.AddWithValue("$created", RunLogTime.Format(run.CreatedAt));
        insert.Parameters.AddWithValue("$notBefore", RunLogTime.Format(run.NotBefore));
        insert.ExecuteNonQuery();
    }

    private void Update(string sql, params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            using var command = Command(sql);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private QueuedRun? Single(string where, SqliteTransaction? transaction, params (string Name, object Value)[] parameters) =>
        ManyIn(where, transaction, parameters).FirstOrDefault();

    private List<QueuedRun> Many(string where, params (string Name, object Value)[] parameters) => ManyIn(where, null, parameters);

    private List<QueuedRun> ManyIn(string where, SqliteTransaction? transaction, (string Name, object Value)[] parameters)
    {
        using var command = Command($"SELECT {Columns} FROM cairn_runs {where}", transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var runs = new List<QueuedRun>();
        while (reader.Read())
        {
            runs.Add(new QueuedRun(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                new PartitionRange(ReadKey(reader, 6), ReadKey(reader, 7)),
                JsonSerializer.Deserialize<Dictionary<string, IReadOnlyList<string>>>(reader.GetString(8)) ?? [],
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetInt32(10),
                reader.GetInt32(11),
                TimeSpan.FromMilliseconds(reader.GetInt64(12)),
                TimeSpan.FromMilliseconds(reader.GetInt64(13)),
                reader.GetString(14),
                ReadTime(reader, 15) ?? DateTimeOffset.MinValue,
                ReadTime(reader, 16) ?? DateTimeOffset.MinValue,
                ReadTime(reader, 17),
                ReadTime(reader, 18),
                reader.IsDBNull(19) ? null : reader.GetString(19),
                reader.IsDBNull(20) ? null : reader.GetString(20)));
        }

        return runs;
    }
}
