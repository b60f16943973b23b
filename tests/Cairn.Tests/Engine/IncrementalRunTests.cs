using System.Text.Json;

namespace Cairn.Tests.Engine;

public sealed class IncrementalRunTests
{
    private static readonly string[] Days = ["2013-05-01", "2013-05-02", "2013-05-03"];

    [Fact]
    public void First_run_runs_every_cell_and_writes_outputs_and_checkpoints()
    {
        using var h = EngineHarness.TwoStages(Days);

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-01: run, first run");
        run.Output.ShouldContain("Upper: ran 3 cells in");
        run.Output.ShouldContain("Concat: run, first run");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("ROW OF 2013-05-01!\nROW OF 2013-05-02!\nROW OF 2013-05-03!\n");
        foreach (var day in Days)
        {
            File.Exists(h.Checkpoint("Upper", day)).ShouldBeTrue();
            File.Exists(h.WorkspaceFile($"logs/date={day}/Upper.log")).ShouldBeFalse("a cell that logged only the default lines writes them to its stage's log of the run (CellLogTests)");
        }

        File.Exists(h.Checkpoint("Concat")).ShouldBeTrue();
    }

    [Fact]
    public void Checkpoint_records_fingerprint_files_parameters_metrics_and_run()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();

        using var json = JsonDocument.Parse(File.ReadAllText(h.Checkpoint("Upper", "2013-05-02")));
        var root = json.RootElement;
        root.GetProperty("stage").GetString().ShouldBe("Upper");
        root.GetProperty("partition").GetString().ShouldBe("2013-05-02");
        root.GetProperty("fingerprint").GetString()!.Length.ShouldBe(32);
        root.GetProperty("hashAlgorithm").GetString().ShouldBe("xxh3-128");
        var input = root.GetProperty("inputs")[0];
        input.GetProperty("path").GetString().ShouldBe("$raw/date=2013-05-02/part.csv");
        input.GetProperty("hash").GetString()!.Length.ShouldBe(32);
        root.GetProperty("outputs")[0].GetProperty("path").GetString().ShouldBe("data/upper/date=2013-05-02/upper.txt");
        root.GetProperty("parameters").GetProperty("Suffix").GetString().ShouldBe("!");
        root.GetProperty("metrics").GetProperty("Rows").GetDouble().ShouldBe(1);
        root.GetProperty("runId").GetString().ShouldNotBeNullOrEmpty();
        root.GetProperty("durationMs").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        root.GetProperty("toolVersion").GetString().ShouldNotBeNullOrEmpty();
        (root.GetProperty("finishedAt").GetDateTimeOffset() >= root.GetProperty("startedAt").GetDateTimeOffset()).ShouldBeTrue();
    }

    [Fact]
    public void Rerun_with_nothing_changed_skips_every_stage_and_rewrites_no_checkpoint()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();
        var before = Snapshot(h);

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        run.Output.ShouldContain("Concat: skipped, up to date");
        run.Output.ShouldNotContain(": run");
        Snapshot(h).ShouldBe(before);
    }

    [Fact]
    public void Rerun_after_touch_without_content_change_skips_every_stage()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();
        var raw = Path.Combine(h.Raw, "date=2013-05-02", "part.csv");
        File.SetLastWriteTimeUtc(raw, DateTime.UtcNow.AddMinutes(5));
        File.SetLastWriteTimeUtc(h.WorkspaceFile("data/upper/date=2013-05-02/upper.txt"), DateTime.UtcNow.AddMinutes(5));

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        run.Output.ShouldContain("Concat: skipped, up to date");
    }

    [Fact]
    public void One_changed_raw_partition_reruns_only_its_cell_and_the_whole_dataset_stage()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();
        var untouched = File.ReadAllText(h.Checkpoint("Upper", "2013-05-01"));

        h.WriteRaw("2013-05-02", "a different row\n");
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-02: run, input changed: $raw/date=2013-05-02/part.csv");
        run.Output.ShouldContain("Upper: 2 cells up to date, skipped");
        run.Output.ShouldContain("Concat: run, input changed: data/upper/date=2013-05-02/upper.txt");
        File.ReadAllText(h.Checkpoint("Upper", "2013-05-01")).ShouldBe(untouched);
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldContain("A DIFFERENT ROW!");
    }

    [Fact]
    public void Upstream_rerun_with_byte_identical_output_leaves_downstream_skipped()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();

        // Upper-casing "ROW OF …" gives the same bytes as before: the raw file changed, its output did not.
        h.WriteRaw("2013-05-03", "ROW OF 2013-05-03\n");
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-03: run, input changed: $raw/date=2013-05-03/part.csv");
        run.Output.ShouldContain("Concat: skipped, up to date");
    }

    [Fact]
    public void Parameter_change_reruns_with_old_and_new_value_in_the_reason()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();

        h.SetPipeline(PipelineYaml.TwoStages(suffix: "?"));
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-01: run, parameter changed (Suffix: ! → ?)");
        run.Output.ShouldContain("Concat: run, input changed:");
    }

    [Fact]
    public void Deleted_output_reruns_the_cell_that_made_it()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();
        File.Delete(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt"));

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-01: run, output missing: data/upper/date=2013-05-01/upper.txt");
        run.Output.ShouldContain("Concat: skipped, up to date");
        File.Exists(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt")).ShouldBeTrue();
    }

    [Fact]
    public void Tampered_output_reruns_the_cell_that_made_it_and_restores_the_output()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();
        File.WriteAllText(h.WorkspaceFile("data/all.txt"), "edited by hand\n");

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Concat: run, output modified: data/all.txt");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldStartWith("ROW OF 2013-05-01!");
    }

    [Fact]
    public void Force_reruns_the_named_stage_only()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();

        var run = h.Run("--force=Concat").ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, all 3 cells up to date");
        run.Output.ShouldContain("Concat: run, forced");
    }

    [Fact]
    public void Force_without_a_value_reruns_every_stage()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();

        var run = h.Run("--force").ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-01: run, forced");
        run.Output.ShouldContain("Concat: run, forced");
    }

    [Fact]
    public void Backfill_range_runs_exactly_those_partitions_and_the_whole_dataset_stage_over_them()
    {
        using var h = EngineHarness.TwoStages("2013-04-30", "2013-05-01", "2013-05-02", "2013-05-03", "2013-05-04");

        var run = h.Run("--from=2013-05-01", "--to=2013-05-03").ShouldSucceed();

        run.Lines.Count(l => l.StartsWith("Upper date=", StringComparison.Ordinal)).ShouldBe(3);
        Directory.GetDirectories(h.WorkspaceFile("checkpoints"), "date=*").Select(Path.GetFileName).Order().ShouldBe(["date=2013-05-01", "date=2013-05-02", "date=2013-05-03"]);
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("ROW OF 2013-05-01!\nROW OF 2013-05-02!\nROW OF 2013-05-03!\n");
    }

    [Fact]
    public void Single_partition_runs_that_day_only()
    {
        using var h = EngineHarness.TwoStages(Days);

        var run = h.Run("--partition=2013-05-02").ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-02: run, first run");
        File.Exists(h.Checkpoint("Upper", "2013-05-01")).ShouldBeFalse();
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("ROW OF 2013-05-02!\n");
    }

    [Fact]
    public void Changing_the_selection_reruns_the_whole_dataset_stage_naming_the_added_inputs()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run("--partition=2013-05-02").ShouldSucceed();

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Concat: run, input added: data/upper/date=2013-05-01/upper.txt, data/upper/date=2013-05-03/upper.txt");
    }

    [Fact]
    public void Unreadable_checkpoint_is_stale_with_a_warning_naming_the_file()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();
        File.WriteAllText(h.Checkpoint("Upper", "2013-05-01"), "{ \"stage\": \"Up");

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain($"warning: checkpoint unreadable, treated as stale: {h.Checkpoint("Upper", "2013-05-01")} is not a readable checkpoint");
        run.Output.ShouldContain("Upper date=2013-05-01: run, checkpoint unreadable");
        h.Run().ShouldSucceed().Output.ShouldContain("Upper: skipped, all 3 cells up to date");
    }

    [Fact]
    public void A_checkpoint_whose_input_list_is_garbled_is_stale_with_a_warning_even_though_its_inputs_are_read_lazily()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();
        var checkpoint = h.Checkpoint("Upper", "2013-05-01");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(checkpoint))!;
        json["inputs"]![0]!["hash"] = 42;
        File.WriteAllText(checkpoint, json.ToJsonString());

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain($"warning: checkpoint unreadable, treated as stale: {checkpoint} is not a readable checkpoint");
        run.Output.ShouldContain("Upper date=2013-05-01: run, checkpoint unreadable");
    }

    [Fact]
    public void Added_raw_file_in_a_partition_is_an_input_change()
    {
        using var h = EngineHarness.TwoStages(Days);
        h.Run().ShouldSucceed();

        h.WriteRaw("2013-05-01", "late row\n", file: "zz-late.csv");
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper date=2013-05-01: run, input added: $raw/date=2013-05-01/zz-late.csv");
    }

    [Fact]
    public void Many_cells_with_the_same_reason_print_one_grouped_line_and_every_reason_goes_to_the_run_log()
    {
        var days = Enumerable.Range(1, 20).Select(d => $"2013-06-{d:00}").ToArray();
        using var h = EngineHarness.TwoStages(days);

        var run = h.Run().ShouldSucceed();

        var line = run.Lines.Single(l => l.StartsWith("Upper: run ", StringComparison.Ordinal));
        line.ShouldStartWith("Upper: run 20 cells: first run (20) (each cell's reason: logs/runs/");
        var runLog = Directory.GetFiles(h.WorkspaceFile("logs/runs")).Single();
        File.ReadAllText(runLog).ShouldContain("Upper date=2013-06-20: run, first run");
    }

    private static Dictionary<string, (string Content, DateTime Written)> Snapshot(EngineHarness h) =>
        Directory.EnumerateFiles(h.WorkspaceFile("checkpoints"), "*.ok", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(h.WorkspaceFile("data"), "*", SearchOption.AllDirectories))
            .ToDictionary(f => f, f => (File.ReadAllText(f), File.GetLastWriteTimeUtc(f)));
}
