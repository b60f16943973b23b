using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// The shared cache of cell results against a real nginx WebDAV store on 127.0.0.1: one workspace fills it, a fresh
/// one with the same raw data restores every cell from it and runs none; a tampered blob, an entry naming a path
/// outside the workspace, and a cache that is down each leave a complete local run.
/// </summary>
public sealed class SharedCacheTests
{
    private static readonly string[] Days = ["2013-05-01", "2013-05-02", "2013-05-03"];

    [SkippableFact]
    public void A_fresh_workspace_restores_every_cell_from_the_cache_that_another_filled_and_runs_none()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        using var a = Workspace();
        using var b = Workspace();

        var filled = a.Run($"--cache={nginx.Address}").ShouldSucceed();
        var restored = b.Run($"--cache={nginx.Address}").ShouldSucceed();
        var again = b.Run($"--cache={nginx.Address}").ShouldSucceed();

        filled.Lines.ShouldContain($"cache {nginx.Address}: 5 of 5 cells that ran uploaded");
        restored.Lines.ShouldContain(l => l.StartsWith("Upper: 3 cells restored from cache, 0 ran in ", StringComparison.Ordinal));
        restored.Lines.ShouldContain(l => l.StartsWith("Concat: 1 cell restored from cache, 0 ran in ", StringComparison.Ordinal));
        restored.Lines.ShouldContain(l => l.StartsWith("Folder: 1 cell restored from cache, 0 ran in ", StringComparison.Ordinal));
        // The summary's table counts a restored cell as restored, not as ran: nothing ran here.
        SummaryRow(restored, "Upper").ShouldBe("Upper   3 cells  0 ran  3 restored  0 skipped");
        SummaryRow(restored, "Concat").ShouldBe("Concat  1 cell   0 ran  1 restored  0 skipped");
        SummaryRow(filled, "Upper").ShouldBe("Upper   3 cells  3 ran  0 skipped");
        restored.Output.ShouldNotContain("warning");
        restored.Output.ShouldNotContain("uploaded");
        Files(b).ShouldBe(Files(a));
        Fingerprints(b).ShouldBe(Fingerprints(a));
        Checkpoint(b, "checkpoints/date=2013-05-02/Upper.ok")["restored"]!.GetValue<string>().ShouldBe($"restored from cache {nginx.Address}");
        Checkpoint(a, "checkpoints/date=2013-05-02/Upper.ok").AsObject().ContainsKey("restored").ShouldBeFalse();
        again.Lines.ShouldContain("Upper: skipped, all 3 cells up to date");
        again.Lines.ShouldContain("Folder: skipped, up to date");
    }

    [SkippableFact]
    public void A_tampered_blob_is_rejected_with_one_warning_and_its_cell_runs_locally()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        using var a = Workspace();
        using var b = Workspace();
        a.Run($"--cache={nginx.Address}").ShouldSucceed();
        var sha = Sha256(a.WorkspaceFile("data/upper/date=2013-05-02/upper.txt"));
        File.WriteAllText(nginx.FileOf("cas/" + sha), "ROW OF 2013-05-02 FORGED!\n");

        var run = b.Run($"--cache={nginx.Address}", "--cache-mode=read").ShouldSucceed();

        run.Lines.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldStartWith($"warning: cache {nginx.Address}: the entry for Upper date=2013-05-02 (ac/");
        run.Output.ShouldContain($"names blob cas/{sha} for data/upper/date=2013-05-02/upper.txt, and the bytes the cache gave have SHA-256 ");
        run.Output.ShouldContain("not that: the blob was rejected; the cell runs locally.");
        SummaryRow(run, "Upper").ShouldBe("Upper   3 cells  1 ran  2 restored  0 skipped");
        run.Lines.ShouldContain(l => l.StartsWith("Upper: 2 cells restored from cache, 1 ran in ", StringComparison.Ordinal));
        Files(b).ShouldBe(Files(a));
    }

    [SkippableFact]
    public void An_entry_naming_an_output_path_outside_the_workspace_is_refused_and_nothing_is_written_there()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        using var a = Workspace();
        using var b = Workspace();
        a.Run($"--cache={nginx.Address}").ShouldSucceed();
        var entryFile = Directory.GetFiles(nginx.FileOf("ac")).Single(f => File.ReadAllText(f).Contains("\"stage\": \"Concat\"", StringComparison.Ordinal));
        File.WriteAllText(entryFile, File.ReadAllText(entryFile).Replace("\"data/all.txt\"", "\"../outside/all.txt\"", StringComparison.Ordinal));

        var run = b.Run($"--cache={nginx.Address}", "--cache-mode=read").ShouldSucceed();

        run.Lines.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldBe($"warning: cache {nginx.Address}: the entry for Concat (ac/{Path.GetFileName(entryFile)}) names an output path outside the workspace: ../outside/all.txt, which has an empty, '.' or '..' part; the entry is refused and the cell runs locally.");
        run.Lines.ShouldContain(l => l.StartsWith("Concat: ran 1 cell in ", StringComparison.Ordinal));
        Directory.Exists(b.Env.PathOf("outside")).ShouldBeFalse();
        Files(b).ShouldBe(Files(a));
    }

    [SkippableFact]
    public void A_cache_that_is_down_is_said_once_and_the_run_finishes_locally()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        nginx.Stop();
        using var a = Workspace();

        var run = a.Run($"--cache={nginx.Address}").ShouldSucceed();

        run.Lines.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldStartWith($"warning: cache {nginx.Address} cannot be used (");
        run.Output.ShouldContain("): cells run locally and this run asks nothing more of the cache.");
        run.Lines.ShouldContain(l => l.StartsWith("Upper: ran 3 cells in ", StringComparison.Ordinal));
        run.Lines.ShouldContain(l => l.StartsWith("Folder: ran 1 cell in ", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_cache_killed_mid_run_is_said_once_and_leaves_a_complete_local_run()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        using var a = Workspace();
        using var b = Workspace();
        a.Run($"--cache={nginx.Address}").ShouldSucceed();
        b.Observers.Add(new CellStartObserver((stage, partition) =>
        {
            if (stage == "Upper" && partition == "2013-05-02")
            {
                nginx.Stop();
            }
        }));

        var run = b.Run($"--cache={nginx.Address}").ShouldSucceed();

        run.Lines.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldStartWith($"warning: cache {nginx.Address} cannot be used (");
        // Upper's cells were looked up and downloaded together before the first of them was promoted: the cache is
        // killed after, and Concat's lookup is what finds it gone.
        run.Lines.ShouldContain(l => l.StartsWith("Upper: 3 cells restored from cache, 0 ran in ", StringComparison.Ordinal));
        run.Lines.ShouldContain(l => l.StartsWith("Concat: ran 1 cell in ", StringComparison.Ordinal));
        run.Lines.ShouldContain(l => l.StartsWith("Folder: ran 1 cell in ", StringComparison.Ordinal));
        Files(b).ShouldBe(Files(a));
        Fingerprints(b).ShouldBe(Fingerprints(a));
        b.Run().ShouldSucceed().Lines.ShouldContain("Upper: skipped, all 3 cells up to date");
    }

    [SkippableFact]
    public void A_cache_answering_500_is_said_once_and_the_run_finishes_locally()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"), location: "return 500;");
        using var a = Workspace();

        var run = a.Run($"--cache={nginx.Address}").ShouldSucceed();

        run.Lines.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldMatch($@"^warning: cache {nginx.Address} cannot be used \(it answered GET ac/[0-9a-f]+ with 500 Internal Server Error\): cells run locally and this run asks nothing more of the cache\.$");
        run.Lines.ShouldContain(l => l.StartsWith("Upper: ran 3 cells in ", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void An_entry_that_is_not_json_is_said_and_its_cell_runs_locally()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        using var a = Workspace();
        using var b = Workspace();
        a.Run($"--cache={nginx.Address}").ShouldSucceed();
        var entryFile = Directory.GetFiles(nginx.FileOf("ac")).Single(f => File.ReadAllText(f).Contains("\"stage\": \"Folder\"", StringComparison.Ordinal));
        File.WriteAllText(entryFile, "<html>welcome</html>");

        var run = b.Run($"--cache={nginx.Address}", "--cache-mode=read").ShouldSucceed();

        run.Lines.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldStartWith($"warning: cache {nginx.Address}: ac/{Path.GetFileName(entryFile)} is not a cache entry (");
        run.Lines.ShouldContain(l => l.StartsWith("Folder: ran 1 cell in ", StringComparison.Ordinal));
        Files(b).ShouldBe(Files(a));
    }

    [SkippableFact]
    public void The_cache_comes_from_CAIRN_CACHE_or_the_pipeline_file_and_the_bearer_token_from_CAIRN_CACHE_TOKEN()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"), location: "if ($http_authorization != \"Bearer s3cret\") { return 401; }");
        using var a = Workspace();
        using var b = Workspace();
        using var c = Workspace();
        a.Variables["CAIRN_CACHE"] = nginx.Address;
        a.Variables["CAIRN_CACHE_TOKEN"] = "s3cret";
        b.SetPipeline(PipelineYaml.TwoStages().Stage("Folder", "FolderStage", s => s.Input("Input", "data/all.txt").Output("Folder", "data/words")).Then($"cache: {nginx.Address}\n"));
        b.Variables["CAIRN_CACHE_TOKEN"] = "s3cret";
        c.Variables["CAIRN_CACHE"] = nginx.Address;

        var filled = a.Run().ShouldSucceed();
        var restored = b.Run().ShouldSucceed();
        var refused = c.Run().ShouldSucceed();

        filled.Lines.ShouldContain($"cache {nginx.Address}: 5 of 5 cells that ran uploaded");
        restored.Lines.ShouldContain(l => l.StartsWith("Upper: 3 cells restored from cache, 0 ran in ", StringComparison.Ordinal));
        refused.Lines.Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).ShouldHaveSingleItem()
            .ShouldMatch($@"^warning: cache {nginx.Address} cannot be used \(it answered GET ac/[0-9a-f]+ with 401 Unauthorized; check the token in CAIRN_CACHE_TOKEN\): cells run locally and this run asks nothing more of the cache\.$");
        refused.Output.ShouldNotContain("s3cret");
    }

    [SkippableFact]
    public void A_stage_whose_output_accumulates_is_neither_uploaded_nor_restored()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        var pipeline = PipelineYaml.TwoStages().Stage("Log", "HistoryStage", s => s.Input("Input", "data/all.txt").Output("History", "data/history.txt"));
        using var a = Workspace(pipeline, "Log");
        using var b = Workspace(pipeline, "Log");

        var filled = a.Run($"--cache={nginx.Address}").ShouldSucceed();
        var restored = b.Run($"--cache={nginx.Address}").ShouldSucceed();

        filled.Lines.ShouldContain($"cache {nginx.Address}: 4 of 4 cells that ran uploaded");
        restored.Lines.ShouldContain(l => l.StartsWith("Concat: 1 cell restored from cache, 0 ran in ", StringComparison.Ordinal));
        restored.Lines.ShouldContain(l => l.StartsWith("Log: ran 1 cell in ", StringComparison.Ordinal));
        restored.Output.ShouldNotContain("uploaded");
        Directory.GetFiles(nginx.FileOf("ac")).Length.ShouldBe(4);
    }

    [SkippableFact]
    public void A_cell_that_passed_its_gate_by_an_approval_is_not_uploaded_so_another_workspace_needs_its_own_approval()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        var gated = new PipelineYaml().Stage("Copy", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", "error").Parameter("FailOn", "2013-05-02").ReviewOn("CAIRN9901"));
        using var a = Workspace(gated);
        using var b = Workspace(gated);

        var stopped = a.Run($"--cache={nginx.Address}", "--keep-going");
        var review = new Cairn.Engine.Governance.ReviewStore(Path.Combine(a.Workspace, ".cairn")).All().ShouldHaveSingleItem();
        using (var output = new StringWriter())
        using (var session = a.OpenHostTarget("Approve", output, $"--review={review.Id}", "--reason=accepted in A", "--by=alice"))
        {
            session.Approve();
            session.Finish(null).ShouldBe(0, output.ToString());
        }

        var passed = a.Run($"--cache={nginx.Address}").ShouldSucceed();
        var inB = b.Run($"--cache={nginx.Address}", "--keep-going");

        stopped.Succeeded.ShouldBeFalse();
        stopped.Lines.ShouldContain($"cache {nginx.Address}: 2 of 2 cells that ran uploaded");
        passed.Output.ShouldContain($"Copy date=2013-05-02: passes its gate by review {review.Id}, approved by alice at ");
        passed.Output.ShouldNotContain("uploaded", customMessage: "the approved cell stands on A's approval: it is not shared");
        Checkpoint(a, "checkpoints/date=2013-05-02/Copy.ok")["passedByReview"]!.GetValue<string>().ShouldBe(review.Id);
        Directory.GetFiles(nginx.FileOf("ac")).Length.ShouldBe(2);
        inB.Succeeded.ShouldBeFalse(inB.Output);
        inB.Lines.ShouldContain(l => l.StartsWith("Copy: 2 cells restored from cache, 0 ran in ", StringComparison.Ordinal));
        inB.Output.ShouldContain("stopped at the gate: review ");
        inB.Output.ShouldNotContain("passes its gate");
        File.Exists(b.WorkspaceFile("checkpoints/date=2013-05-02/Copy.ok")).ShouldBeFalse();
    }

    [SkippableFact]
    public void History_and_Health_count_restored_cells_apart_from_the_cells_that_ran()
    {
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var server = new TestEnvironment();
        using var nginx = NginxServer.Start(server.PathOf("nginx"));
        using var a = Workspace();
        using var b = Workspace();
        a.Run($"--cache={nginx.Address}").ShouldSucceed();
        b.Run($"--cache={nginx.Address}").ShouldSucceed();
        b.WriteRaw("2013-05-02", "row of 2013-05-02 changed\n");
        b.Run($"--cache={nginx.Address}").ShouldSucceed();

        var runs = Observability.Inspection.Run(b, s => s.History()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var newest = Observability.Sql.Query(Observability.Inspection.RunLog(b), "SELECT run_id FROM pipeline_run_log ORDER BY rowid DESC").Select(r => (string)r["run_id"]!).ToList();
        var first = Observability.Inspection.Run(b, s => s.History(), $"--run={newest[1]}");
        var second = Observability.Inspection.Run(b, s => s.History(), $"--run={newest[0]}");
        var health = Observability.Inspection.Run(b, s => s.Health()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var summary = Observability.Inspection.Run(b, s => s.History(), "--summary");
        using var json = System.Text.Json.JsonDocument.Parse(Observability.Inspection.Run(b, s => s.History(), "--format=json", $"--run={newest[1]}"));
        using var healthJson = System.Text.Json.JsonDocument.Parse(Observability.Inspection.Run(b, s => s.Health(), "--format=json"));

        runs[1].ShouldContain("Env    Cells  Ran  Restored  Skipped  Failed  Triggered by");
        Counts(runs[2]).ShouldBe("5 3 0 2 0", "the changed day's Upper, then Concat and Folder ran: new fingerprints the cache does not have");
        Counts(runs[3]).ShouldBe("5 0 5 0 0", "every cell restored, none ran");
        first.ShouldContain($"Upper: 3 cells, restored 3 from {nginx.Address}, skipped 0\n");
        first.Split('\n').Single(l => l.StartsWith("  Upper date=2013-05-02 ", StringComparison.Ordinal)).ShouldContain(" restored ");
        second.ShouldContain("Upper: 3 cells, ran 1 (1 succeeded), skipped 2\n");
        health[1].ShouldContain("Success  Cells ran  Restored  Average");
        Columns(health.Single(l => l.StartsWith("Upper ", StringComparison.Ordinal)))[..6].ShouldBe(["Upper", "2", "2", "100.0%", "1", "3"], "one cell ran, three were restored; the durations are of the one that ran");
        summary.ShouldContain("10: 3 ran, 5 restored from the shared cache, 2 skipped, 0 failed");
        var run = json.RootElement.GetProperty("runs")[0];
        $"{run.GetProperty("ran").GetInt32()} {run.GetProperty("restored").GetInt32()}".ShouldBe("0 5");
        run.GetProperty("cellRuns").EnumerateArray().Select(c => c.GetProperty("restoredFrom").GetString()).Distinct().ShouldBe([nginx.Address]);
        var upper = healthJson.RootElement.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == "Upper");
        $"{upper.GetProperty("cellsRan").GetInt32()} {upper.GetProperty("cellsRestored").GetInt32()}".ShouldBe("1 3");
    }

    [Fact]
    public void A_pipeline_file_whose_cache_is_not_http_is_refused_naming_the_file()
    {
        using var h = Workspace();
        h.SetPipeline(PipelineYaml.TwoStages().Then("cache: s3://bucket/cairn\n"));

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldContain("cache=s3://bucket/cairn: the cache must be an http:// or https:// URL, e.g. http://cache.example:8080/cairn (any WebDAV/HTTP store that answers GET, PUT and HEAD).");
        run.Failure!.Message.ShouldContain("pipeline.yaml");
    }

    /// <summary>Upper per day, Concat of the days, and (unless another pipeline is given) Folder: a directory output of one file per line.</summary>
    private static EngineHarness Workspace(PipelineYaml? pipeline = null, string third = "Folder")
    {
        var harness = new EngineHarness(
            pipeline ?? PipelineYaml.TwoStages().Stage("Folder", "FolderStage", s => s.Input("Input", "data/all.txt").Output("Folder", "data/words")),
            ("Upper", []),
            ("Concat", ["Upper"]),
            (third, ["Concat"]));
        return WithDays(harness);
    }

    /// <summary>A one-stage pipeline (<paramref name="single"/>) over the days.</summary>
    private static EngineHarness Workspace(PipelineYaml single) => WithDays(new EngineHarness(single, ("Copy", [])));

    private static EngineHarness WithDays(EngineHarness harness)
    {
        foreach (var day in Days)
        {
            harness.WriteRaw(day, $"row of {day}\n");
        }

        return harness;
    }

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Cells, ran, restored, skipped, failed of a History line: the five numbers after the environment column.</summary>
    private static string Counts(string line)
    {
        var columns = Columns(line);
        var env = Array.IndexOf(columns, "local");
        return string.Join(' ', columns[(env + 1)..(env + 6)]);
    }

    /// <summary>The stage's row of the run's summary table, its time cut off and its padding kept.</summary>
    private static string SummaryRow(RunOutcome run, string stage) =>
        System.Text.RegularExpressions.Regex.Replace(run.Lines.Single(l => l.StartsWith("  " + stage + " ", StringComparison.Ordinal)).Trim(), @"\s+\d+\.\d\d s$", string.Empty);

    /// <summary>Every file under the workspace's data/, by relative path, with its bytes' SHA-256.</summary>
    private static Dictionary<string, string> Files(EngineHarness harness)
    {
        var data = harness.WorkspaceFile("data");
        return Directory.GetFiles(data, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(data, f), Sha256);
    }

    private static Dictionary<string, string> Fingerprints(EngineHarness harness)
    {
        var checkpoints = harness.WorkspaceFile("checkpoints");
        return Directory.GetFiles(checkpoints, "*.ok", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(checkpoints, f), f => JsonNode.Parse(File.ReadAllText(f))!["fingerprint"]!.GetValue<string>());
    }

    private static JsonNode Checkpoint(EngineHarness harness, string relative) => JsonNode.Parse(File.ReadAllText(harness.WorkspaceFile(relative)))!;

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
