using System.Diagnostics;
using System.Text.Json;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Observing;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Observability;

public sealed class RunLogTests
{
    [Fact]
    public void A_successful_run_is_logged_with_every_cell_its_decision_rows_metrics_and_fingerprint()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.WriteRaw("2013-05-02", "a\nb\n");

        h.Run("--env=ci").ShouldSucceed();

        var db = Inspection.RunLog(h);
        var run = Sql.Query(db, "SELECT * FROM pipeline_run_log").ShouldHaveSingleItem();
        run["status"].ShouldBe("succeeded");
        run["pipeline"].ShouldBe("test");
        run["environment"].ShouldBe("ci");
        run["target"].ShouldBe("Concat");
        run["pid"].ShouldBe((long)Environment.ProcessId);
        run["host"].ShouldBe(Environment.MachineName);
        run["partitions"].ShouldBe(2L);
        run["triggered_by"].ShouldBe($"{Environment.UserName}@{Environment.MachineName}");
        run["finished_at"].ShouldNotBeNull();
        ((double)run["duration_ms"]!).ShouldBeGreaterThan(0);
        JsonDocument.Parse((string)run["arguments"]!).RootElement.GetProperty("env").GetString().ShouldBe("ci");
        run["git_commit"].ShouldBeNull("the harness's temp folder is not a git repository");

        var cells = Sql.Query(db, "SELECT * FROM cell_run_log ORDER BY stage DESC, partition");
        cells.Select(c => $"{c["stage"]} {c["partition"]} {c["attempt"]} {c["decision"]} {c["status"]} {c["reason"]} {c["rows_in"]}").ShouldBe(
        [
            "Upper 2013-05-01 1 run succeeded first run 1",
            "Upper 2013-05-02 1 run succeeded first run 2",
            "Concat  1 run succeeded first run ",
        ]);
        JsonDocument.Parse((string)cells[1]["metrics"]!).RootElement.GetProperty("Rows").GetDouble().ShouldBe(2);
        cells[1]["fingerprint"].ShouldBe(ReadCheckpoint(h.Checkpoint("Upper", "2013-05-02")).Fingerprint);
        cells.ShouldAllBe(c => c["started_at"] != null && c["finished_at"] != null && c["duration_ms"] != null);
    }

    [Fact]
    public void A_rerun_logs_the_cells_it_ran_and_per_stage_what_it_skipped_which_reads_back_as_skipped_cells()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "changed\n");

        h.Run().ShouldSucceed();

        var db = Inspection.RunLog(h);
        Sql.Query(db, "SELECT status FROM pipeline_run_log").Select(r => r["status"]).ShouldBe(["succeeded", "succeeded"]);
        const string Second = "(SELECT run_id FROM pipeline_run_log ORDER BY rowid DESC LIMIT 1)";
        Sql.Query(db, $"SELECT * FROM cell_run_log WHERE run_id = {Second} ORDER BY stage DESC, partition")
            .Select(c => $"{c["stage"]} {c["partition"]} {c["decision"]} {c["status"]} {c["reason"]}").ShouldBe(
            [
                "Upper 2013-05-02 run succeeded input changed: $raw/date=2013-05-02/part.csv",
                "Concat  run succeeded input changed: data/upper/date=2013-05-02/upper.txt",
            ]);
        Sql.Query(db, $"SELECT t.stage, t.cells, t.skipped, p.partitions FROM stage_run_log t JOIN partition_set p ON p.id = t.partition_set WHERE run_id = {Second} ORDER BY t.rowid")
            .Select(r => $"{r["stage"]} {r["cells"]} {r["skipped"]} {r["partitions"]}")
            .ShouldBe(["Upper 2 1 [\"2013-05-01\",\"2013-05-02\"]", "Concat 1 0 [\"\"]"]);
        Sql.Query(db, "SELECT count(*) AS n FROM partition_set").ShouldHaveSingleItem()["n"].ShouldBe(2L, "the two runs decided the same partitions: each set is kept once");

        using var reader = RunLogReader.Open(db)!;
        var run = reader.Runs(1).ShouldHaveSingleItem();
        (run.Cells, run.Ran, run.Skipped, run.Failed).ShouldBe((3, 2, 1, 0));
        var cells = reader.Cells(run.RunId);
        cells.Select(c => $"{c.Label("date")} {c.Decision} {c.Status} {c.Reason}").ShouldBe(
        [
            "Upper date=2013-05-01 skip skipped up to date",
            "Upper date=2013-05-02 run succeeded input changed: $raw/date=2013-05-02/part.csv",
            "Concat run succeeded input changed: data/upper/date=2013-05-02/upper.txt",
        ]);
        cells[0].StartedAt.ShouldBeNull();
        cells[0].DurationMs.ShouldBeNull();
        cells[0].Fingerprint.ShouldBeNull("a skipped cell's fingerprint is its checkpoint's");
    }

    [Fact]
    public void A_cell_row_says_how_long_its_task_ran_within_the_cell_s_time()
    {
        using var h = new EngineHarness(
            new PipelineYaml().Stage("Faulty", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", "slow").Parameter("Seconds", 0.4)),
            ("Faulty", []));
        h.WriteRaw("2013-05-01", "a\n");

        h.Run().ShouldSucceed();

        var cell = Sql.Query(Inspection.RunLog(h), "SELECT duration_ms, task_ms FROM cell_run_log").ShouldHaveSingleItem();
        var task = (double)cell["task_ms"]!;
        task.ShouldBeGreaterThanOrEqualTo(400, "the task works for 0.4 s");
        task.ShouldBeLessThanOrEqualTo((double)cell["duration_ms"]!, "the cell's time holds its task's and Cairn's own around it");
    }

    [Fact]
    public void A_no_op_adds_rows_per_stage_not_per_cell()
    {
        var days = Enumerable.Range(0, 60).Select(d => new DateOnly(2013, 5, 1).AddDays(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using var h = EngineHarness.TwoStages(days);
        h.Run().ShouldSucceed();

        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();

        var db = Inspection.RunLog(h);
        Sql.Query(db, "SELECT count(*) AS n FROM cell_run_log").ShouldHaveSingleItem()["n"].ShouldBe(61L, "the first run's cells; the no-ops ran none");
        Sql.Query(db, "SELECT count(*) AS n FROM stage_run_log").ShouldHaveSingleItem()["n"].ShouldBe(6L);
        Sql.Query(db, "SELECT count(*) AS n FROM partition_set").ShouldHaveSingleItem()["n"].ShouldBe(2L);
        using var reader = RunLogReader.Open(db)!;
        reader.Runs(3).Select(r => $"{r.Cells} {r.Ran} {r.Skipped}").ShouldBe(["61 0 61", "61 0 61", "61 61 0"]);
        reader.Health(3).Select(s => $"{s.Stage} {s.Runs} {s.RunsThatRan} {s.CellsRan}").ShouldBe(["Upper 3 1 60", "Concat 3 1 1"]);
    }

    [Fact]
    public void A_failed_run_is_logged_failed_with_the_cause_the_failed_cell_and_the_cells_that_never_ran()
    {
        using var h = new EngineHarness(PipelineYaml.Faulty("error"), ("Faulty", []));
        foreach (var day in new[] { "2013-05-01", "2013-05-02", "2013-05-03" })
        {
            h.WriteRaw(day, "row\n");
        }

        h.Run().Succeeded.ShouldBeFalse();

        var db = Inspection.RunLog(h);
        var run = Sql.Query(db, "SELECT * FROM pipeline_run_log").ShouldHaveSingleItem();
        run["status"].ShouldBe("failed");
        run["failure"].ShouldBe("Stage 'Faulty' failed for date=2013-05-02: CAIRN9901: the test stage was told to fail (log: logs/date=2013-05-02/Faulty.log)");
        Sql.Query(db, "SELECT partition, status FROM cell_run_log ORDER BY partition").Select(c => $"{c["partition"]} {c["status"]}")
            .ShouldBe(["2013-05-01 succeeded", "2013-05-02 failed", "2013-05-03 pending"]);

        var history = Inspection.Run(h, s => s.History());
        history.ShouldContain("failed");
        using var reader = RunLogReader.Open(db)!;
        var logged = reader.Runs(20).ShouldHaveSingleItem();
        (logged.Status, logged.Cells, logged.Ran, logged.Skipped, logged.Failed).ShouldBe(("failed", 3, 2, 0, 1));
    }

    [Fact]
    public void A_run_left_running_by_a_dead_process_reads_as_crashed_and_one_whose_process_lives_as_running()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        var db = Inspection.RunLog(h);
        var dead = DeadProcessId();
        Sql.Execute(db, $"""
            INSERT INTO pipeline_run_log (run_id, pipeline, environment, target, arguments, triggered_by, status, started_at, tool_version, pid, host)
            VALUES ('20200101T000000Z-{dead}-dead', 'test', 'local', 'Concat', '{"{}"}', 'someone@{Environment.MachineName}', 'running', '2020-01-01T00:00:00.000Z', '0.0.0', {dead}, '{Environment.MachineName}'),
                   ('20200101T000001Z-{Environment.ProcessId}-live', 'test', 'local', 'Concat', '{"{}"}', 'someone@{Environment.MachineName}', 'running', '{RunLogTime.Format(DateTimeOffset.UtcNow)}', '0.0.0', {Environment.ProcessId}, '{Environment.MachineName}');
            INSERT INTO cell_run_log (run_id, stage, partition, attempt, decision, reason, status, fingerprint)
            VALUES ('20200101T000000Z-{dead}-dead', 'Upper', '2013-05-01', 1, 'run', 'first run', 'pending', 'f');
            """);

        using var reader = RunLogReader.Open(db)!;
        var runs = reader.Runs(20).ToDictionary(r => r.RunId[^4..], r => r.Status);

        runs["dead"].ShouldBe("crashed");
        runs["live"].ShouldBe("running");
        var shown = Inspection.Run(h, s => s.History(), "--run=20200101T000000Z");
        shown.ShouldContain($"Run 20200101T000000Z-{dead}-dead: crashed (its process is gone; the cells below marked pending never finished)");
        shown.ShouldContain("Upper date=2013-05-01");
        shown.ShouldContain("pending");
    }

    [Fact]
    public async Task Two_runs_writing_one_database_at_once_both_log_every_cell()
    {
        using var env = new Support.TestEnvironment();
        var db = env.PathOf("runs.db");
        const int Cells = 2_000;

        await Task.WhenAll(
            Task.Run(() => SimulatedRun.Write(db, "run-a", Cells, env.Root)),
            Task.Run(() => SimulatedRun.Write(db, "run-b", Cells, env.Root)));

        Sql.Query(db, "SELECT run_id, status FROM pipeline_run_log ORDER BY run_id").Select(r => $"{r["run_id"]} {r["status"]}").ShouldBe(["run-a succeeded", "run-b succeeded"]);
        Sql.Query(db, "SELECT run_id, count(*) AS n, sum(status = 'succeeded') AS ok FROM cell_run_log GROUP BY run_id ORDER BY run_id")
            .Select(r => $"{r["run_id"]} {r["n"]} {r["ok"]}").ShouldBe([$"run-a {Cells * 3} {Cells * 3}", $"run-b {Cells * 3} {Cells * 3}"]);
        Sql.Query(db, "PRAGMA journal_mode").ShouldHaveSingleItem()["journal_mode"].ShouldBe("wal");
    }

    private static Checkpoint ReadCheckpoint(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJsonContext.Default.Checkpoint)!;

    /// <summary>The id of a process that has just exited.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
