using System.Reflection;

namespace Cairn.Service.Store;

/// <summary>
/// The service's database (<c>.cairn/scheduler.db</c>) as ordered migrations: Quartz 4.7.3's tables (its own script,
/// kept here as shipped so that the migration never changes), then Cairn's: the run queue, the landing zone as last
/// seen, the schedules as last read, and the pause state of schedules Quartz does not hold. The last one applied is
/// recorded in <c>cairn_schema</c>. Append a migration to change the schema; never edit one that has shipped.
/// </summary>
internal static class SchedulerSchema
{
    public const string QuartzTablePrefix = "QRTZ_";

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: Quartz's job store, from the script Quartz 4.7.3 runs itself for SchemaProvisioning.CreateIfMissing.
        QuartzScript(),

        // 2: Cairn's run queue: one row per attempt, a retry or a re-run after a crash a row of its own linked to the
        // first; what the landing zone held when last seen; the schedules as last read; the pause state of schedules
        // that are not Quartz triggers.
        """
        CREATE TABLE cairn_runs (
            seq              INTEGER PRIMARY KEY AUTOINCREMENT,
            id               TEXT NOT NULL UNIQUE,
            first_id         TEXT NOT NULL,
            pipeline         TEXT NOT NULL,
            target           TEXT NOT NULL,
            trigger          TEXT NOT NULL,
            detail           TEXT NOT NULL,
            from_day         TEXT,
            to_day           TEXT,
            arguments        TEXT NOT NULL,
            token            TEXT UNIQUE,
            attempt          INTEGER NOT NULL,
            max_attempts     INTEGER NOT NULL,
            retry_delay_ms   INTEGER NOT NULL,
            retry_max_ms     INTEGER NOT NULL,
            status           TEXT NOT NULL,
            created_at       TEXT NOT NULL,
            not_before       TEXT NOT NULL,
            started_at       TEXT,
            finished_at      TEXT,
            failure          TEXT,
            retried_by       TEXT
        );
        CREATE INDEX cairn_runs_status ON cairn_runs (pipeline, status);
        CREATE TABLE cairn_landing_files (
            pipeline   TEXT NOT NULL,
            path       TEXT NOT NULL,
            length     INTEGER NOT NULL,
            modified   INTEGER NOT NULL,
            PRIMARY KEY (pipeline, path)
        );
        CREATE TABLE cairn_schedules (
            pipeline    TEXT NOT NULL,
            name        TEXT NOT NULL,
            definition  TEXT NOT NULL,
            PRIMARY KEY (pipeline, name)
        );
        CREATE TABLE cairn_paused_schedules (
            pipeline   TEXT NOT NULL,
            name       TEXT NOT NULL,
            paused_at  TEXT NOT NULL,
            PRIMARY KEY (pipeline, name)
        );
        """,
    ];

    public static int CurrentVersion => Migrations.Count;

    private static string QuartzScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("quartz-4.7.3-sqlite.sql")
            ?? throw new InvalidOperationException("The Quartz schema script is not embedded in Cairn.Service.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd();
        return script.Replace("{0}", QuartzTablePrefix, StringComparison.Ordinal).Replace("{1}", QuartzTablePrefix, StringComparison.Ordinal);
    }
}
