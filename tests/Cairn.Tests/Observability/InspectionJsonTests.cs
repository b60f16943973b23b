using System.Text.Json;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Observability;

/// <summary>
/// History and Health as JSON documents, and History's summary: the fields README documents, checked against what
/// the runs did (counted here from the runs themselves, not from the reader that writes the documents).
/// </summary>
public sealed class InspectionJsonTests
{
    [Fact]
    public void History_json_lists_the_last_runs_newest_first_with_counts_overrides_and_times()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.Run("--set=Upper.suffix=?").ShouldSucceed();
        h.Run("--set=Upper.suffix=?").ShouldSucceed();

        using var json = JsonDocument.Parse(Inspection.Run(h, s => s.History(), "--format=json", "--limit=2"));

        var root = json.RootElement;
        root.GetProperty("format").GetString().ShouldBe("cairn-history");
        root.GetProperty("version").GetInt32().ShouldBe(1);
        root.GetProperty("runLog").GetString().ShouldBe(Inspection.RunLog(h));
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        var ids = Sql.Query(Inspection.RunLog(h), "SELECT run_id FROM pipeline_run_log ORDER BY started_at DESC, run_id DESC LIMIT 2").Select(r => (string)r["run_id"]!);
        runs.Select(r => r.GetProperty("runId").GetString()).ShouldBe(ids);
        runs.Select(r => $"{r.GetProperty("status").GetString()} {r.GetProperty("cells").GetInt32()} {r.GetProperty("ran").GetInt32()} {r.GetProperty("skipped").GetInt32()} {r.GetProperty("failed").GetInt32()}")
            .ShouldBe(["succeeded 3 0 3 0", "succeeded 3 3 0 0"]);
        runs[0].GetProperty("overrides").GetProperty("Upper.Suffix").GetString().ShouldBe("?");
        runs[0].GetProperty("target").GetString().ShouldBe("Concat");
        runs[0].GetProperty("pipeline").GetString().ShouldBe("test");
        var started = DateTimeOffset.Parse(runs[0].GetProperty("startedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var finished = DateTimeOffset.Parse(runs[0].GetProperty("finishedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        runs[0].GetProperty("durationMs").GetDouble().ShouldBe((finished - started).TotalMilliseconds, 1.0);
        runs[0].TryGetProperty("cellRuns", out _).ShouldBeFalse("cells are listed only for --run");
    }

    [Fact]
    public void History_json_of_one_run_has_every_cell_with_its_decision_reason_rows_and_metrics()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "a\nb\nc\n");
        h.Run().ShouldSucceed();
        var runId = (string)Sql.Query(Inspection.RunLog(h), "SELECT run_id FROM pipeline_run_log ORDER BY rowid DESC LIMIT 1").Single()["run_id"]!;

        using var json = JsonDocument.Parse(Inspection.Run(h, s => s.History(), "--format=json", $"--run={runId}"));

        var run = json.RootElement.GetProperty("runs").EnumerateArray().ShouldHaveSingleItem();
        run.GetProperty("runId").GetString().ShouldBe(runId);
        run.GetProperty("overrides").EnumerateObject().ShouldBeEmpty();
        var cells = run.GetProperty("cellRuns").EnumerateArray().ToList();
        cells.Select(c => $"{c.GetProperty("stage").GetString()} {c.GetProperty("partition")} {c.GetProperty("decision").GetString()} {c.GetProperty("status").GetString()}")
            .ShouldBe(["Upper 2013-05-01 skip skipped", "Upper 2013-05-02 run succeeded", "Concat  run succeeded"]);
        cells[1].GetProperty("reason").GetString().ShouldBe("input changed: $raw/date=2013-05-02/part.csv");
        cells[1].GetProperty("rowsIn").GetInt64().ShouldBe(3);
        cells[1].GetProperty("metrics").GetProperty("Rows").GetDouble().ShouldBe(3);
        cells[0].TryGetProperty("rowsIn", out _).ShouldBeFalse("a skipped cell read nothing");
        cells[2].GetProperty("partition").ValueKind.ShouldBe(JsonValueKind.Null);
        cells[2].GetProperty("metrics").GetProperty("PartsRead").GetDouble().ShouldBe(2);
    }

    [Fact]
    public void Health_json_has_each_stage_in_data_flow_order_with_the_figures_of_the_text()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.WriteRaw("2013-05-02", "a\nb\n");
        h.Run().ShouldSucceed();
        h.Run().ShouldSucceed();
        var durations = Sql.Query(Inspection.RunLog(h), "SELECT duration_ms AS d FROM cell_run_log WHERE stage = 'Upper' AND decision = 'run'").Select(r => (double)r["d"]!).ToList();

        using var json = JsonDocument.Parse(Inspection.Run(h, s => s.Health(), "--format=json"));

        var root = json.RootElement;
        root.GetProperty("format").GetString().ShouldBe("cairn-health");
        root.GetProperty("version").GetInt32().ShouldBe(1);
        root.GetProperty("runs").GetInt32().ShouldBe(2);
        var stages = root.GetProperty("stages").EnumerateArray().ToList();
        stages.Select(s => $"{s.GetProperty("stage").GetString()} {s.GetProperty("runs").GetInt32()} {s.GetProperty("runsThatRan").GetInt32()} {s.GetProperty("runsSucceeded").GetInt32()} {s.GetProperty("successRate").GetDouble()} {s.GetProperty("cellsRan").GetInt32()} {s.GetProperty("retries").GetInt32()} {s.GetProperty("rowsIn").GetInt64()}")
            .ShouldBe(["Upper 2 1 1 1 2 0 3", "Concat 2 1 1 1 1 0 0"]);
        stages[0].GetProperty("averageMs").GetDouble().ShouldBe(durations.Average(), 0.01);
        stages[0].GetProperty("p95Ms").GetDouble().ShouldBe(durations.Max(), 0.01, "p95 of two values is the larger, by nearest rank");
    }

    [Fact]
    public void History_summary_counts_runs_success_cells_and_rows_over_the_last_runs()
    {
        using var h = new EngineHarness(
            PipelineYaml.Faulty("error", failOn: "2013-05-02").Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "data/out/date={date}/out.txt").Output("Output", "data/upper/date={date}/upper.txt")),
            ("Faulty", []),
            ("Upper", ["Faulty"]));
        h.WriteRaw("2013-05-01", "a\nb\n");
        h.Run("--partition=2013-05-01").ShouldSucceed();
        h.Run("--partition=2013-05-01").ShouldSucceed();
        h.WriteRaw("2013-05-02", "c\n");
        h.Run().ExitCode.ShouldBe(1);
        var runs = Sql.Query(Inspection.RunLog(h), "SELECT duration_ms AS d FROM pipeline_run_log").Select(r => (double)r["d"]!).Order().ToList();

        using var json = JsonDocument.Parse(Inspection.Run(h, s => s.History(), "--summary", "--format=json"));
        var text = Inspection.Run(h, s => s.History(), "--summary", "--limit=2");

        var root = json.RootElement;
        root.GetProperty("format").GetString().ShouldBe("cairn-history-summary");
        root.GetProperty("version").GetInt32().ShouldBe(1);
        root.GetProperty("runs").GetInt32().ShouldBe(3);
        root.GetProperty("statuses").EnumerateObject().Select(s => $"{s.Name}={s.Value.GetInt32()}").ShouldBe(["succeeded=2", "failed=1"]);
        root.GetProperty("successRate").GetDouble().ShouldBe(0.6667);
        $"{root.GetProperty("cells").GetInt32()} {root.GetProperty("ran").GetInt32()} {root.GetProperty("skipped").GetInt32()} {root.GetProperty("failed").GetInt32()}"
            .ShouldBe("6 3 3 1", "2 ran, 2 skipped, then Faulty 2013-05-01 skipped and 2013-05-02 failed, stopping the run before Upper");
        root.GetProperty("rowsRead").GetInt64().ShouldBe(2, "Upper read a and b in the first run; Faulty reports no rows");
        root.GetProperty("totalMs").GetDouble().ShouldBe(runs.Sum(), 0.01);
        root.GetProperty("medianMs").GetDouble().ShouldBe(runs[1], 0.01);
        root.GetProperty("longestMs").GetDouble().ShouldBe(runs[2], 0.01);
        text.ShouldStartWith("Summary of the last 2 runs in ws/.cairn/runs.db (started ");
        text.ShouldContain("\n  Runs          2: 1 succeeded, 1 failed\n  Success rate  50.0% (succeeded, of the 2 runs that ended)\n  Cells         4: 1 ran, 3 skipped, 1 failed\n  Rows read     0 (");
    }

    [Fact]
    public void Before_any_run_the_documents_are_empty_and_nothing_is_written()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        using var history = JsonDocument.Parse(Inspection.Run(h, s => s.History(), "--format=json"));
        using var health = JsonDocument.Parse(Inspection.Run(h, s => s.Health(), "--format=json"));
        using var summary = JsonDocument.Parse(Inspection.Run(h, s => s.History(), "--format=json", "--summary"));

        history.RootElement.GetProperty("runs").GetArrayLength().ShouldBe(0);
        health.RootElement.GetProperty("runs").GetInt32().ShouldBe(0);
        health.RootElement.GetProperty("stages").GetArrayLength().ShouldBe(0);
        summary.RootElement.GetProperty("runs").GetInt32().ShouldBe(0);
        summary.RootElement.GetProperty("successRate").ValueKind.ShouldBe(JsonValueKind.Null);
        Inspection.Run(h, s => s.History(), "--summary").ShouldBe("No runs recorded in ws/.cairn/runs.db yet.\n");
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    [Fact]
    public void Summary_with_run_is_a_usage_error_naming_both()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var error = Should.Throw<CairnUsageException>(() => Inspection.Run(h, s => s.History(), "--summary", "--run=2026"));

        error.Problems.ShouldBe(["--summary and --run=2026: --summary sums up the last runs (--limit=N), --run shows one run's cells; give one of them."]);
    }
}
