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

        // 4: a stage's decision as one row per run: how many cells it decided and skipped, and the partitions it
        // decided, in order, as a set kept once however many runs decide the same partitions. A skipped cell has no
        // row of its own in cell_run_log any more (a no-op wrote ~230 bytes per cell, 28 MB at 40,000 partitions):
        // it is a partition of the stage's set without one. Runs recorded before keep their per-cell skip rows.
        """
        CREATE TABLE partition_set (
            id          INTEGER PRIMARY KEY,
            digest      TEXT NOT NULL UNIQUE,
            partitions  TEXT NOT NULL
        );
        CREATE TABLE stage_run_log (
            run_id         TEXT NOT NULL,
            stage          TEXT NOT NULL,
            cells          INTEGER NOT NULL,
            skipped        INTEGER NOT NULL,
            partition_set  INTEGER NOT NULL REFERENCES partition_set (id),
            PRIMARY KEY (run_id, stage)
        );
        CREATE INDEX stage_run_log_set ON stage_run_log (partition_set);
        """,

        // 5: the contract version (the data contract's content hash) a cell attempt was built with; NULL for a cell no
        // contract reaches, and for the rows recorded before.
        """
        ALTER TABLE cell_run_log ADD COLUMN contract_version TEXT;
        """,

        // 6: where a cell decided to run was restored from instead (the shared cache's address, as its checkpoint's
        // "restored" names it); NULL for a cell that ran here, and for the rows recorded before.
        """
        ALTER TABLE cell_run_log ADD COLUMN restored_from TEXT;
        """,

        // 7: how long the cell's task ran (over all its attempts; 0 for a cell restored from the shared cache). The rest
        // of duration_ms is Cairn's own work around it: binding, hashing, staging and promoting, the checkpoint. NULL
        // for the rows recorded before.
        """
        ALTER TABLE cell_run_log ADD COLUMN task_ms REAL;
        """,
    ];

    public static int CurrentVersion => Migrations.Count;
}
