using System.Text.Json;
using Cairn.Tests.Engine;
using Cairn.Tests.Performance;

namespace Cairn.Tests.Observability;

public sealed class StatusTests
{
    [Fact]
    public void After_a_run_every_stage_is_one_line_up_to_date()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();

        var status = Inspection.Run(h, s => s.Status());

        Lines(status).ShouldBe(
        [
            "Status of test: 2 partitions (2013-05-01 to 2013-05-02), workspace ws",
            "Upper: up to date (2 cells)",
            "Concat: up to date",
            "Everything is up to date (3 cells).",
        ]);
    }

    [Fact]
    public void A_changed_raw_file_names_the_file_with_old_and_new_hash_and_the_cell_downstream_names_it_upstream()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        var recorded = Checkpoint(h, "Upper", "2013-05-02").GetProperty("inputs")[0].GetProperty("hash").GetString()!;
        h.WriteRaw("2013-05-02", "changed\n");
        var now = Cairn.Hashing.ContentHasher.HashFile(Path.Combine(h.Raw, "date=2013-05-02", "part.csv")).ToString();

        var status = Inspection.Run(h, s => s.Status());

        Lines(status).ShouldBe(
        [
            "Status of test: 2 partitions (2013-05-01 to 2013-05-02), workspace ws",
            "Upper: 1 of 2 cells stale",
            $"  Upper date=2013-05-02: input changed: $raw/date=2013-05-02/part.csv ({recorded[..12]} → {now[..12]})",
            "Concat: stale: upstream Upper date=2013-05-02 is stale and will re-run first",
            "Stale: 2 cells of 3 in 2 stages; a run of a target that includes them brings them up to date.",
        ]);
    }

    [Fact]
    public void Status_runs_nothing_and_writes_no_checkpoint_log_or_run()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-01", "changed\n");
        var before = Snapshot(h.Workspace);

        Inspection.Run(h, s => s.Status());

        Snapshot(h.Workspace).ShouldBe(before);
        Sql.Query(Inspection.RunLog(h), "SELECT count(*) AS n FROM pipeline_run_log").ShouldHaveSingleItem()["n"].ShouldBe(1L);
    }

    [Fact]
    public void Status_of_an_up_to_date_workspace_reads_no_file_content_through_the_stat_cache_and_writes_nothing()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02", "2013-05-03");
        StatCacheFile.Warm(h);
        var before = Snapshot(h.Workspace);
        var folders = Directory.GetDirectories(h.Workspace, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        using var reads = new ContentReads(h.Env.Root);

        var status = Inspection.Run(h, s => s.Status());

        status.ShouldContain("Everything is up to date (4 cells).");
        reads.Count.ShouldBe(0, $"read: {string.Join(", ", reads.Decided)}");
        Snapshot(h.Workspace).ShouldBe(before);
        Directory.GetDirectories(h.Workspace, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ShouldBe(folders);
    }

    [Fact]
    public void Status_right_after_a_run_reads_no_file_content()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02", "2013-05-03");
        h.Run().ShouldSucceed();
        using var reads = new ContentReads(h.Env.Root);

        var status = Inspection.Run(h, s => s.Status());

        status.ShouldContain("Everything is up to date (4 cells).");
        reads.Count.ShouldBe(0, $"read: {string.Join(", ", reads.Decided)}");
    }

    [Fact]
    public void Status_saves_no_stat_cache_and_makes_no_folder_even_where_a_run_would()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        Directory.Delete(h.WorkspaceFile(".cairn"), recursive: true);

        Inspection.Run(h, s => s.Status()).ShouldContain("Everything is up to date (2 cells).");
        Directory.Exists(h.WorkspaceFile(".cairn")).ShouldBeFalse("Status read every file, learned every hash, and saved none of it");

        using var fresh = EngineHarness.TwoStages("2013-05-01");
        Inspection.Run(fresh, s => s.Status()).ShouldContain("  Upper date=2013-05-01: first run\n");
        Directory.Exists(fresh.Workspace).ShouldBeFalse("Status of a workspace no run made does not make it");
    }

    [Fact]
    public void Every_difference_of_a_cell_is_listed_while_the_run_prints_the_first_kind_of_them()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.SetPipeline(PipelineYaml.TwoStages(suffix: "?"));
        h.WriteRaw("2013-05-02", "changed\n");
        h.WriteRaw("2013-05-02", "added\n", "extra.csv");

        var status = Inspection.Run(h, s => s.Status());
        var run = h.Run().ShouldSucceed();

        status.ShouldContain("  Upper date=2013-05-02:\n    - parameter changed: Suffix: ! → ?\n    - input added: $raw/date=2013-05-02/extra.csv\n    - input changed: $raw/date=2013-05-02/part.csv (");
        status.ShouldContain("  Upper date=2013-05-01: parameter changed: Suffix: ! → ?\n");
        run.Output.ShouldContain("Upper date=2013-05-02: run, parameter changed (Suffix: ! → ?)\n");
    }

    [Fact]
    public void A_directory_output_with_a_modified_file_and_a_stray_one_lists_both()
    {
        using var h = new EngineHarness(
            PipelineYaml.TwoStages().Stage("Folder", "FolderStage", s => s.Input("Input", "data/all.txt").Output("Folder", "artifacts/words")),
            ("Upper", []),
            ("Concat", ["Upper"]),
            ("Folder", ["Concat"]));
        h.WriteRaw("2013-05-01", "alpha\nbeta\n");
        h.Run().ShouldSucceed();
        File.WriteAllText(h.WorkspaceFile("artifacts/words/alpha!.txt"), "tampered");
        File.WriteAllText(h.WorkspaceFile("artifacts/words/stray.txt"), "x");

        var status = Inspection.Run(h, s => s.Status());
        var run = h.Run().ShouldSucceed();

        status.ShouldContain("Folder: stale:\n  - output modified: artifacts/words/alpha!.txt (");
        status.ShouldContain("  - output modified: artifacts/words/stray.txt is not part of the recorded output\n");
        run.Output.ShouldContain("Folder: run, output modified: artifacts/words/alpha!.txt\n");
    }

    [Fact]
    public void A_changed_parameter_is_named_with_old_and_new_value_on_every_cell()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.SetPipeline(PipelineYaml.TwoStages(suffix: "?"));

        var status = Inspection.Run(h, s => s.Status());

        status.ShouldContain("Upper: 2 of 2 cells stale\n  Upper date=2013-05-01: parameter changed: Suffix: ! → ?\n  Upper date=2013-05-02: parameter changed: Suffix: ! → ?\n");
        status.ShouldContain("Concat: stale: upstream Upper date=2013-05-01, Upper date=2013-05-02 are stale and will re-run first\n");
    }

    [Fact]
    public void A_deleted_output_is_named_and_the_cell_reading_it_waits_on_upstream()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        File.Delete(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt"));

        var status = Inspection.Run(h, s => s.Status());

        status.ShouldContain("  Upper date=2013-05-01: output missing: data/upper/date=2013-05-01/upper.txt\n");
        status.ShouldContain("Concat: stale: upstream Upper date=2013-05-01 is stale and will re-run first\n");
    }

    [Fact]
    public void A_modified_output_is_named_and_its_stage_alone_is_stale()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        File.WriteAllText(h.WorkspaceFile("data/all.txt"), "tampered\n");

        var status = Inspection.Run(h, s => s.Status());

        status.ShouldContain("Concat: stale: output modified: data/all.txt (");
        status.ShouldContain("Upper: up to date (1 cell)");
    }

    [Fact]
    public void Before_any_run_each_cell_is_a_first_run_and_whole_dataset_cells_wait_on_upstream()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var status = Inspection.Run(h, s => s.Status());

        status.ShouldContain("  Upper date=2013-05-01: first run\n");
        status.ShouldContain("Concat: stale:\n  - first run\n  - upstream Upper date=2013-05-01 is stale and will re-run first\n");
    }

    [Fact]
    public void Many_stale_cells_of_a_stage_are_grouped_by_cause_with_examples()
    {
        using var h = EngineHarness.TwoStages([.. Enumerable.Range(1, 14).Select(d => $"2013-05-{d:00}")]);

        var status = Inspection.Run(h, s => s.Status());

        status.ShouldContain("Upper: 14 of 14 cells stale\n  first run: 14 cells (date=2013-05-01, date=2013-05-02, date=2013-05-03 and 11 more)\n");
    }

    [Fact]
    public void Five_causes_of_one_kind_in_a_cell_are_listed_and_six_are_one_line_with_the_first_paths()
    {
        using var h = EngineHarness.TwoStages([.. Enumerable.Range(1, 7).Select(d => $"2013-05-{d:00}")]);
        h.Run().ShouldSucceed();

        var five = Inspection.Run(h, s => s.Status(), "--from=2013-05-01", "--to=2013-05-02");
        var six = Inspection.Run(h, s => s.Status(), "--partition=2013-05-01");

        five.ShouldContain(string.Concat(Enumerable.Range(3, 5).Select(d => $"  - input removed: data/upper/date=2013-05-{d:00}/upper.txt\n")));
        six.ShouldContain(
            "Concat: stale: input removed: 6 files (data/upper/date=2013-05-02/upper.txt, data/upper/date=2013-05-03/upper.txt, data/upper/date=2013-05-04/upper.txt and 3 more)\n");
    }

    [Fact]
    public void Grouped_causes_are_all_in_the_json_document_and_verbose_lists_them_one_by_one()
    {
        using var h = EngineHarness.TwoStages([.. Enumerable.Range(1, 9).Select(d => $"2013-05-{d:00}")]);
        h.Run().ShouldSucceed();

        using var json = JsonDocument.Parse(Inspection.Run(h, s => s.Status(), "--partition=2013-05-01", "--format=json"));
        var verbose = Inspection.Run(h, s => s.Status(), "--partition=2013-05-01", "--verbose");

        var causes = json.RootElement.GetProperty("stages")[1].GetProperty("staleCells")[0].GetProperty("causes").EnumerateArray().ToList();
        causes.Select(c => c.GetProperty("path").GetString()).ShouldBe(Enumerable.Range(2, 8).Select(d => $"data/upper/date=2013-05-{d:00}/upper.txt"));
        causes.ShouldAllBe(c => c.GetProperty("kind").GetString() == "input-removed");
        verbose.ShouldContain("Concat: stale:\n" + string.Concat(Enumerable.Range(2, 8).Select(d => $"  - input removed: data/upper/date=2013-05-{d:00}/upper.txt\n")));
    }

    [Fact]
    public void Verbose_lists_every_stale_cell_of_a_stage_where_many_are_grouped_by_cause()
    {
        using var h = EngineHarness.TwoStages([.. Enumerable.Range(1, 14).Select(d => $"2013-05-{d:00}")]);

        var status = Inspection.Run(h, s => s.Status(), "--verbose");

        status.ShouldContain("Upper: 14 of 14 cells stale\n" + string.Concat(Enumerable.Range(1, 14).Select(d => $"  Upper date=2013-05-{d:00}: first run\n")));
    }

    [Fact]
    public void Json_format_is_a_stable_document_with_every_stage_and_each_stale_cells_causes()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "changed\n");

        using var json = JsonDocument.Parse(Inspection.Run(h, s => s.Status(), "--format=json"));

        var root = json.RootElement;
        root.GetProperty("format").GetString().ShouldBe("cairn-status");
        root.GetProperty("version").GetInt32().ShouldBe(1);
        root.GetProperty("pipeline").GetString().ShouldBe("test");
        root.GetProperty("workspace").GetString().ShouldBe(h.Workspace);
        root.GetProperty("partitions").GetProperty("count").GetInt32().ShouldBe(2);
        root.GetProperty("partitions").GetProperty("first").GetString().ShouldBe("2013-05-01");
        root.GetProperty("upToDate").GetBoolean().ShouldBeFalse();
        root.GetProperty("cells").GetInt32().ShouldBe(3);
        root.GetProperty("staleCells").GetInt32().ShouldBe(2);
        var stages = root.GetProperty("stages").EnumerateArray().ToList();
        stages.Select(s => $"{s.GetProperty("stage").GetString()} {s.GetProperty("partitioned").GetBoolean()} {s.GetProperty("cells").GetInt32()} {s.GetProperty("upToDate").GetInt32()} {s.GetProperty("stale").GetInt32()}")
            .ShouldBe(["Upper True 2 1 1", "Concat False 1 0 1"]);
        var upper = stages[0].GetProperty("staleCells").EnumerateArray().ShouldHaveSingleItem();
        upper.GetProperty("partition").GetString().ShouldBe("2013-05-02");
        var cause = upper.GetProperty("causes").EnumerateArray().ShouldHaveSingleItem();
        cause.GetProperty("kind").GetString().ShouldBe("input-changed");
        cause.GetProperty("path").GetString().ShouldBe("$raw/date=2013-05-02/part.csv");
        cause.GetProperty("old").GetString().ShouldBe(Checkpoint(h, "Upper", "2013-05-02").GetProperty("inputs")[0].GetProperty("hash").GetString());
        cause.GetProperty("new").GetString()!.Length.ShouldBe(32);
        var concat = stages[1].GetProperty("staleCells").EnumerateArray().ShouldHaveSingleItem();
        concat.GetProperty("partition").ValueKind.ShouldBe(JsonValueKind.Null);
        var upstream = concat.GetProperty("causes").EnumerateArray().ShouldHaveSingleItem();
        upstream.GetProperty("kind").GetString().ShouldBe("upstream");
        upstream.GetProperty("upstreamStage").GetString().ShouldBe("Upper");
        upstream.GetProperty("upstreamCells").EnumerateArray().Select(c => c.GetString()).ShouldBe(["Upper date=2013-05-02"]);
    }

    [Fact]
    public void Check_fails_when_a_cell_is_stale_and_passes_when_everything_is_up_to_date()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();

        Inspection.Run(h, s => s.Status(), "--check").ShouldContain("Everything is up to date");

        h.WriteRaw("2013-05-01", "changed\n");
        var error = Should.Throw<StatusCheckFailedException>(() => Inspection.Run(h, s => s.Status(), "--check"));
        error.Message.ShouldBe("--check: 2 of 2 cells are stale in Upper, Concat; run the pipeline to bring them up to date.");
    }

    [Fact]
    public void A_bad_format_or_limit_is_a_usage_error_naming_the_fix()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var error = Should.Throw<CairnUsageException>(() => Inspection.Run(h, s => s.Status(), "--format=xml", "--limit=0"));

        error.Problems.ShouldBe(["--format=xml: use --format=text (the default) or --format=json.", "--limit=0: give a whole number of runs, at least 1, e.g. --limit=50."]);
    }

    private static JsonElement Checkpoint(EngineHarness h, string stage, string day) =>
        JsonDocument.Parse(File.ReadAllText(h.Checkpoint(stage, day))).RootElement.Clone();

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, (long Length, DateTime Written)> Snapshot(string workspace) =>
        Directory.GetFiles(workspace, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));
}
