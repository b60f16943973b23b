using Cairn.Tests.Engine;

namespace Cairn.Tests.Observability;

public sealed class HistoryAndHealthTests
{
    [Fact]
    public void History_lists_the_last_runs_newest_first_with_their_cells_counted()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-01", "changed\n");
        h.Run().ShouldSucceed();

        var lines = Inspection.Run(h, s => s.History(), "--limit=2").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].ShouldBe("Last 2 runs in ws/.cairn/runs.db, newest first:");
        lines[1].ShouldStartWith("Run ");
        lines[1].ShouldContain("Status     Started (UTC)        Duration  Target  Env    Cells  Ran  Skipped  Failed  Triggered by");
        lines.Length.ShouldBe(4);
        Columns(lines[2])[1..2].ShouldBe(["succeeded"]);
        CountsOf(lines[2]).ShouldBe("3 2 1 0", "newest: one day and Concat re-ran");
        CountsOf(lines[3]).ShouldBe("3 0 3 0", "the no-op run before it");
    }

    [Fact]
    public void History_of_one_run_lists_the_cells_that_ran_with_reason_status_and_rows()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "a\nb\nc\n");
        h.Run().ShouldSucceed();
        var runId = (string)Sql.Query(Inspection.RunLog(h), "SELECT run_id FROM pipeline_run_log ORDER BY rowid DESC LIMIT 1").Single()["run_id"]!;

        var output = Inspection.Run(h, s => s.History(), $"--run={runId}");

        output.ShouldStartWith($"Run {runId}: succeeded in ");
        output.ShouldContain("Upper: 2 cells, ran 1 (1 succeeded), skipped 1\n");
        output.ShouldContain("Concat: 1 cell, ran 1 (1 succeeded), skipped 0\n");
        var upper = output.Split('\n').Single(l => l.StartsWith("  Upper date=2013-05-02", StringComparison.Ordinal));
        upper.ShouldContain(" succeeded ");
        upper.ShouldContain("  3  ");
        upper.ShouldEndWith("input changed: $raw/date=2013-05-02/part.csv");
    }

    [Fact]
    public void History_with_an_unknown_run_id_is_a_usage_error_listing_the_latest()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();

        var error = Should.Throw<CairnUsageException>(() => Inspection.Run(h, s => s.History(), "--run=nope"));

        error.Message.ShouldStartWith("--run=nope: no run has that id in ws/.cairn/runs.db; the latest are 2");
    }

    [Fact]
    public void History_and_health_before_any_run_say_there_is_none()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        Inspection.Run(h, s => s.History()).ShouldBe("No runs recorded in ws/.cairn/runs.db yet; ./build.sh --target=Package records one.\n");
        Inspection.Run(h, s => s.Health()).ShouldBe("No runs recorded in ws/.cairn/runs.db yet; ./build.sh --target=Package records one.\n");
        File.Exists(Inspection.RunLog(h)).ShouldBeFalse();
    }

    [Fact]
    public void Health_reports_per_stage_success_rate_retries_and_rows_over_the_last_runs()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.WriteRaw("2013-05-02", "a\nb\n");
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();
        var db = Inspection.RunLog(h);
        // A retried cell as a retrying engine logs it: the first attempt failed, the second succeeded.
        Sql.Execute(db, """
            INSERT INTO cell_run_log (run_id, stage, partition, attempt, decision, reason, status, duration_ms, rows_in, fingerprint)
            SELECT run_id, stage, partition, 2, decision, reason, 'succeeded', duration_ms, rows_in, fingerprint
            FROM cell_run_log WHERE stage = 'Upper' AND partition = '2013-05-01' AND decision = 'run';
            UPDATE cell_run_log SET status = 'failed' WHERE stage = 'Upper' AND partition = '2013-05-01' AND attempt = 1 AND decision = 'run';
            """);

        var lines = Inspection.Run(h, s => s.Health()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines[0].ShouldBe("Health over the last 2 runs in ws/.cairn/runs.db (durations are per cell that ran):");
        System.Text.RegularExpressions.Regex.Split(lines[1], " {2,}").ShouldBe(["Stage", "Runs", "Ran in", "Success", "Cells ran", "Average", "p95", "Retries", "Rows in"]);
        var upper = Columns(lines[2]);
        upper[..5].ShouldBe(["Upper", "2", "1", "100.0%", "3"]);
        upper[^2..].ShouldBe(["1", "3"], "one retry; rows in counts succeeded attempts only: 1 (the retry) + 2");
        Columns(lines[3])[..5].ShouldBe(["Concat", "2", "1", "100.0%", "1"]);
    }

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Cells, ran, skipped, failed of a History line: the four numbers after the environment column.</summary>
    private static string CountsOf(string line)
    {
        var columns = Columns(line);
        var env = Array.IndexOf(columns, "local");
        return string.Join(' ', columns[(env + 1)..(env + 5)]);
    }
}
