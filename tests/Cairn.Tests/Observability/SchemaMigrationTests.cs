using Cairn.Engine.Observing;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Observability;

public sealed class SchemaMigrationTests
{
    // The first schema, written out as it shipped: the test keeps it even when the migrations in the code move on.
    private const string VersionOne = """
        CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);
        INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00.000Z');
        CREATE TABLE pipeline_run_log (
            run_id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, environment TEXT NOT NULL, target TEXT NOT NULL,
            arguments TEXT NOT NULL, triggered_by TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL,
            finished_at TEXT, duration_ms REAL, tool_version TEXT NOT NULL, git_commit TEXT);
        CREATE TABLE cell_run_log (
            run_id TEXT NOT NULL, stage TEXT NOT NULL, partition TEXT NOT NULL, attempt INTEGER NOT NULL,
            decision TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT, finished_at TEXT,
            duration_ms REAL, rows_in INTEGER, rows_out INTEGER, rows_quarantined INTEGER, metrics TEXT,
            fingerprint TEXT NOT NULL, PRIMARY KEY (run_id, stage, partition, attempt));
        INSERT INTO pipeline_run_log VALUES
            ('20260101T000000Z-1-aaaa', 'test', 'local', 'Concat', '{}', 'old@host', 'succeeded', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z', 2000, '0.9.0', NULL),
            ('20260102T000000Z-2-bbbb', 'test', 'local', 'Concat', '{}', 'old@host', 'running', '2026-01-02T00:00:00.000Z', NULL, NULL, '0.9.0', NULL);
        INSERT INTO cell_run_log VALUES
            ('20260101T000000Z-1-aaaa', 'Upper', '2013-05-01', 1, 'run', 'first run', 'succeeded', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 1000, 7, NULL, NULL, '{"Rows":7}', 'f1');
        """;

    [Fact]
    public void A_version_1_database_is_migrated_keeps_its_runs_and_takes_new_ones()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var db = Inspection.RunLog(h);
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        Sql.Execute(db, VersionOne);

        h.Run().ShouldSucceed();

        Sql.Query(db, "SELECT version FROM schema_version ORDER BY version").Select(r => r["version"]).ShouldBe(Enumerable.Range(1, RunLogSchema.CurrentVersion).Select(v => (object?)(long)v));
        using var reader = RunLogReader.Open(db)!;
        var runs = reader.Runs(20);
        runs.Select(r => $"{r.RunId[..8]} {r.Status} {r.Cells}").ShouldBe(
            [$"{runs[0].RunId[..8]} succeeded 2", "20260102 incomplete 0", "20260101 succeeded 1"]);
        reader.Cells("20260101T000000Z-1-aaaa").ShouldHaveSingleItem().RowsIn.ShouldBe(7);
        reader.Health(20).Single(s => s.Stage == "Upper").CellsRan.ShouldBe(2);
    }

    [Fact]
    public void A_database_from_a_newer_cairn_is_refused_naming_the_fix()
    {
        using var env = new Support.TestEnvironment();
        var db = env.PathOf("runs.db");
        Sql.Execute(db, $"CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL); INSERT INTO schema_version VALUES ({RunLogSchema.CurrentVersion + 1}, 'later');");

        var error = Should.Throw<InvalidOperationException>(() => RunLogDatabase.Open(db).Dispose());

        error.Message.ShouldBe($"{db} has run-log schema version {RunLogSchema.CurrentVersion + 1}, newer than this Cairn knows ({RunLogSchema.CurrentVersion}); run a newer Cairn, or move the file away to start a new log.");
    }

    [Fact]
    public void A_new_database_is_created_at_the_current_version_in_wal_mode()
    {
        using var env = new Support.TestEnvironment();
        var db = env.PathOf("nested/runs.db");

        using (var connection = RunLogDatabase.Open(db))
        {
            RunLogDatabase.Version(connection).ShouldBe(RunLogSchema.CurrentVersion);
        }

        Sql.Query(db, "PRAGMA journal_mode").ShouldHaveSingleItem()["journal_mode"].ShouldBe("wal");
        Sql.Query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").Select(r => r["name"])
            .ShouldBe(["cell_run_log", "partition_set", "pipeline_run_log", "schema_version", "stage_run_log"]);
    }
}
