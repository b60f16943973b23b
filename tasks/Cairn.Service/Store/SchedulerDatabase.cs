using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Engine.Observing;
using Microsoft.Data.Sqlite;

namespace Cairn.Service.Store;

/// <summary>
/// Opens <c>.cairn/scheduler.db</c>, creating it or migrating it to <see cref="SchedulerSchema.CurrentVersion"/> in one
/// immediate transaction. A database from a newer Cairn, one Cairn did not make, a damaged file or one another
/// process keeps locked is refused with what to do; it is never reset, since it holds the queued runs.
/// </summary>
internal static partial class SchedulerDatabase
{
    public const string FileName = "scheduler.db";

    // At start the service waits this long for a lock before calling the database locked; later writes wait longer.
    private const int StartBusyTimeoutSeconds = 5;
    private const int BusyTimeoutSeconds = 30;

    public static string ConnectionString(string path, bool starting = false) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = starting ? StartBusyTimeoutSeconds : BusyTimeoutSeconds,
    }.ToString();

    /// <exception cref="SchedulerStoreException">The database cannot be used; the message names the file and the fix.</exception>
    public static void Migrate(string path)
    {
        SqliteNativeLibrary.EnsureResolvable();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            using var connection = new SqliteConnection(ConnectionString(path, starting: true));
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check";
                var answer = Convert.ToString(check.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (answer != "ok")
                {
                    throw new SchedulerStoreException(Damaged(path, answer ?? "no answer"));
                }
            }

            using var transaction = connection.BeginTransaction(deferred: false);
            var version = Version(connection, transaction);
            if (version > SchedulerSchema.CurrentVersion)
            {
                throw new SchedulerStoreException(
                    $"{path} has scheduler schema version {version}, newer than this Cairn knows ({SchedulerSchema.CurrentVersion}): a newer Cairn service wrote it. Run that Cairn, or move the file away to start with no queued runs and no schedule history.");
            }

            if (version == 0 && HasTable(connection, transaction, SchedulerSchema.QuartzTablePrefix + "TRIGGERS"))
            {
                throw new SchedulerStoreException(
                    $"{path} holds Quartz tables that Cairn did not make (no cairn_schema table); Cairn will not build on them. Move the file away to let the service make its own.");
            }

            Execute(connection, "CREATE TABLE IF NOT EXISTS cairn_schema (version INTEGER NOT NULL, applied_at TEXT NOT NULL)", transaction);
            for (var next = version + 1; next <= SchedulerSchema.CurrentVersion; next++)
            {
                foreach (var statement in Statements(SchedulerSchema.Migrations[next - 1]))
                {
                    Execute(connection, statement, transaction);
                }

                using var record = connection.CreateCommand();
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO cairn_schema (version, applied_at) VALUES ($version, $at)";
                record.Parameters.AddWithValue("$version", next);
                record.Parameters.AddWithValue("$at", RunLogTime.Format(DateTimeOffset.UtcNow));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            throw new SchedulerStoreException(
                $"{path} is locked by another process (SQLite: {e.Message.TrimEnd('.')}); stop the other Cairn service or the program that holds it, then start again.", e);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            throw new SchedulerStoreException(Damaged(path, e.Message), e);
        }
    }

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A migration's statements: Quartz's script separates its own with a line reading <c>--;;</c>; Cairn's are one batch.</summary>
    private static IEnumerable<string> Statements(string migration) =>
        StatementSeparator().IsMatch(migration)
            ? StatementSeparator().Split(migration).Select(s => s.Trim()).Where(s => s.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            : [migration];

    private static string Damaged(string path, string detail) =>
        $"{path} is damaged ({detail.TrimEnd('.')}); Cairn will not reset it, since it holds the queued runs. Move it away (mv {path} {path}.damaged) to start with an empty queue, or restore it from a backup.";

    private static int Version(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (!HasTable(connection, transaction, "cairn_schema"))
        {
            return 0;
        }

        using var version = connection.CreateCommand();
        version.Transaction = transaction;
        version.CommandText = "SELECT coalesce(max(version), 0) FROM cairn_schema";
        return Convert.ToInt32(version.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static bool HasTable(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using var exists = connection.CreateCommand();
        exists.Transaction = transaction;
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        exists.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    [GeneratedRegex(@"^--;;[ \t\r]*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StatementSeparator();
}
