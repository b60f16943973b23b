using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>
/// Opens a workspace's run log (<c>.cairn/runs.db</c>) ready for concurrent runs: WAL (readers never block the
/// writer), a busy timeout (writers wait for each other instead of failing), and the schema migrated to the current
/// version inside an immediate transaction, so two runs opening a new database at once migrate it once.
/// </summary>
internal static class RunLogDatabase
{
    public const string FileName = "runs.db";

    private const int BusyTimeoutMs = 30_000;

    public static SqliteConnection Open(string path)
    {
        SqliteNativeLibrary.EnsureResolvable();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Pooling keeps the file open after the run closes it; a run opens once, so there is nothing to reuse.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            Migrate(connection, path);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Whether SQLite found the file damaged: "database disk image is malformed" (11) or "file is not a database" (26).</summary>
    public static bool IsDamage(SqliteException e) => e.SqliteErrorCode is 11 or 26;

    /// <summary>Moves a damaged run log (and its WAL files) aside, keeping it for recovery, so that a new one can start.</summary>
    /// <returns>Where it is now.</returns>
    public static string MoveAside(string path)
    {
        var aside = $"{path}.damaged-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}";
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, aside + suffix);
            }
        }

        return aside;
    }

    /// <summary>The schema version a database is at; 0 for a new one.</summary>
    public static int Version(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        using var version = connection.CreateCommand();
        version.Transaction = transaction;
        version.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version";
        return Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        if (Version(connection) == RunLogSchema.CurrentVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Version(connection, transaction);
        if (version > RunLogSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"{path} has run-log schema version {version}, newer than this Cairn knows ({RunLogSchema.CurrentVersion}); run a newer Cairn, or move the file away to start a new log.");
        }

        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)", transaction);
        for (var next = version + 1; next <= RunLogSchema.CurrentVersion; next++)
        {
            Execute(connection, RunLogSchema.Migrations[next - 1], transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $at)";
            record.Parameters.AddWithValue("$version", next);
            record.Parameters.AddWithValue("$at", RunLogTime.Format(DateTimeOffset.UtcNow));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
