namespace Cairn.Engine.Observing;

/// <summary>
/// The run log's tables, as the ordered migrations that build them. A database records the last one applied in
/// <c>schema_version</c>; opening it applies the rest, so a database written by an older Cairn keeps working.
/// Append a migration to change the schema; never edit one that has shipped.
/// </summary>
internal static class RunLogSchema
{
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: one row per run, one per (cell, attempt).
        """
        CREATE TABLE pipeline_run_log (
            run_id        TEXT PRIMARY KEY,
            pipeline      TEXT NOT NULL,
            environment   TEXT NOT NULL,
            target        TEXT NOT NULL,
            arguments     TEXT NOT NULL,
            triggered_by  TEXT NOT NULL,
            status        TEXT NOT NULL,
            started_at    TEXT NOT NULL,
            finished_at   TEXT,
            duration_ms   REAL,
            tool_version  TEXT NOT NULL,
            git_commit    TEXT
        );
        CREATE TABLE cell_run_log (
            run_id            TEXT NOT NULL,
            stage             TEXT NOT NULL,
            partition         TEXT NOT NULL,
            attempt           INTEGER NOT NULL,
            decision          TEXT NOT NULL,
            reason            TEXT NOT NULL,
            status            TEXT NOT NULL,
            started_at        TEXT,
            finished_at       TEXT,
            duration_ms       REAL,
            rows_in           INTEGER,
            rows_out          INTEGER,
            rows_quarantined  INTEGER,
            metrics           TEXT,
            fingerprint       TEXT NOT NULL,
            PRIMARY KEY (run_id, stage, partition, attempt)
        );
        """,

        // 2: who ran it (process and machine, to tell a crashed run from a running one), why it failed, and the
        // indexes History and Health read by.
        """
        ALTER TABLE pipeline_run_log ADD COLUMN pid INTEGER;
        ALTER TABLE pipeline_run_log ADD COLUMN host TEXT;
        ALTER TABLE pipeline_run_log ADD COLUMN failure TEXT;
        ALTER TABLE pipeline_run_log ADD COLUMN partitions INTEGER;
        CREATE INDEX pipeline_run_log_started ON pipeline_run_log (started_at);
        CREATE INDEX cell_run_log_stage ON cell_run_log (stage, run_id);
        """,

        // 3: the stage parameters set on the command line (--set), as a JSON object {"Train.L2": "0.5"}; '{}' for a
        // run without any, NULL for the runs recorded before.
        """
        ALTER TABLE pipeline_run_log ADD COLUMN parameter_overrides TEXT;
        """,
    ];

    public static int CurrentVersion => Migrations.Count;
}
