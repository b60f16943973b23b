using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>
/// Keeps the newest runs of a run log and removes the rest: their rows, the partition sets no run names any more,
/// and their logs (<c>logs/runs/ID.log</c> and the stage logs in <c>logs/runs/ID/</c>), then VACUUMs the database so the file shrinks. A run still running on
/// this machine (or on another, which cannot be checked from here) is never removed, however old.
/// </summary>
internal static class RunLogPruner
{
    public static PruneResult Prune(string databasePath, string runLogsDirectory, int keep, Func<int, DateTimeOffset?>? processStartedAt = null)
    {
        processStartedAt ??= RunLogReader.ProcessStartedAt;
        using var connection = RunLogDatabase.Open(databasePath);
        var before = Size(connection, databasePath);
        var removed = new List<(string RunId, DateTimeOffset StartedAt)>();
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using (var old = connection.CreateCommand())
            {
                old.Transaction = transaction;
                old.CommandText = """
                    SELECT run_id, status, pid, host, started_at FROM pipeline_run_log
                    ORDER BY started_at DESC, run_id DESC LIMIT -1 OFFSET $keep
                    """;
                old.Parameters.AddWithValue("$keep", keep);
                using var reader = old.ExecuteReader();
                while (reader.Read())
                {
                    var started = RunLogTime.Parse(reader.GetString(4)) ?? DateTimeOffset.MinValue;
                    long? pid = reader.IsDBNull(2) ? null : reader.GetInt64(2);
                    var host = reader.IsDBNull(3) ? null : reader.GetString(3);
                    if (RunLogReader.EffectiveStatus(reader.GetString(1), pid, host, started, processStartedAt) != "running")
                    {
                        removed.Add((reader.GetString(0), started));
                    }
                }
            }

            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = """
                DELETE FROM cell_run_log WHERE run_id = $run;
                DELETE FROM stage_run_log WHERE run_id = $run;
                DELETE FROM pipeline_run_log WHERE run_id = $run;
                """;
            foreach (var (runId, _) in removed)
            {
                delete.Parameters.Clear();
                delete.Parameters.AddWithValue("$run", runId);
                delete.ExecuteNonQuery();
            }

            RunLogDatabase.Execute(connection, "DELETE FROM partition_set WHERE id NOT IN (SELECT partition_set FROM stage_run_log)", transaction);
            transaction.Commit();
        }

        if (removed.Count > 0)
        {
            RunLogDatabase.Execute(connection, "VACUUM");
        }

        var after = Size(connection, databasePath);
        var logs = removed.Count(run => DeleteLog(runLogsDirectory, run.RunId));
        return new PruneResult(
            removed.Count,
            logs,
            removed.Count == 0 ? null : removed.Min(r => r.StartedAt),
            removed.Count == 0 ? null : removed.Max(r => r.StartedAt),
            Kept(connection),
            before,
            after);
    }

    /// <summary>The database file's size with everything in its write-ahead log moved into it.</summary>
    private static long Size(SqliteConnection connection, string databasePath)
    {
        RunLogDatabase.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        return new FileInfo(databasePath).Length;
    }

    private static int Kept(SqliteConnection connection)
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM pipeline_run_log";
        return Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes a run's log when its id names a file inside the logs folder (ids are written by Cairn, but the database is a file anyone can edit).</summary>
    private static bool DeleteLog(string runLogsDirectory, string runId)
    {
        if (runId.Length == 0 || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || runId.StartsWith('.'))
        {
            return false;
        }

        // The run's log, and the folder of its stage logs (Runs.StageLogs), when it wrote one.
        var log = new FileInfo(Path.Combine(runLogsDirectory, runId + ".log"));
        var stages = new DirectoryInfo(Path.Combine(runLogsDirectory, runId));
        var hadStages = stages.Exists;
        if (hadStages)
        {
            stages.Delete(recursive: true);
        }

        if (!log.Exists)
        {
            return hadStages;
        }

        log.Delete();
        return true;
    }
}
